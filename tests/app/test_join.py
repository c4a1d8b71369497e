"""The join page (/join?code=CODE): joining by link or typed code, the group rule, unknown codes."""

from __future__ import annotations

from tests.app.conftest import error_texts
from ui import state
from workshop.models import GroupSpec
from workshop.service import WorkshopService

from .conftest import Made, join_app

HEALTH = "Health (NHS)"


def joined(svc: WorkshopService, made: Made) -> list[tuple[str, str | None]]:
    """Everyone in the store who has joined the workshop: (label, group)."""
    progress = svc.progress(made.key, made.workshop.rounds[0].id)
    return [(p.label, p.group) for p in progress.participants]


def test_join_from_the_link_puts_the_token_in_the_url_and_the_participant_in_the_store(svc, sample):
    at = join_app(sample.code.lower())

    assert at.text_input(key=state.JOIN_CODE).value == sample.code
    assert sample.workshop.title in [s.value for s in at.subheader]
    at.selectbox(key=state.JOIN_GROUP).set_value(HEALTH)
    at.text_input(key=state.JOIN_NAME).input("Ann")
    at.button[0].click().run()

    assert not at.exception and not at.error
    token = at.query_params[state.Q_PARTICIPANT]
    assert token and at.session_state[state.PARTICIPANT_TOKEN] == token
    assert svc.resume(token).label == "Ann"
    assert joined(svc, sample) == [("Ann", HEALTH)]
    # Now on the participant's page, which greets them by name.
    assert any("You are **Ann** · Health \\(NHS\\)" in m.value for m in at.markdown)  # shown as typed (ui.plain.md)


def test_a_typed_code_forgives_case_spaces_and_hyphens(svc, sample):
    at = join_app()
    assert at.button.len == 0  # nothing to join until a code is given

    typed = f" {sample.code[:3].lower()}-{sample.code[3:].lower()} "
    at.text_input(key=state.JOIN_CODE).input(typed).run()

    assert not at.error
    assert sample.workshop.title in [s.value for s in at.subheader]
    assert at.query_params[state.Q_CODE] == sample.code


def test_the_name_may_be_left_empty_to_stay_anonymous(svc, sample):
    at = join_app(sample.code)
    assert any("leave your name empty to stay anonymous" in c.value for c in at.caption)

    at.selectbox(key=state.JOIN_GROUP).set_value(HEALTH)
    at.button[0].click().run()

    assert joined(svc, sample) == [("Anonymous 1", HEALTH)]


def test_an_unknown_code_says_so_and_creates_nothing(svc, sample):
    at = join_app("NOPE99")

    assert not at.exception
    assert error_texts(at) == ["No workshop has the code 'NOPE99'. Check the code on the screen."]
    assert at.button.len == 0 and at.selectbox.len == 0
    assert joined(svc, sample) == []


def test_the_group_is_required_when_the_workshop_has_groups(svc, sample):
    at = join_app(sample.code)
    at.text_input(key=state.JOIN_NAME).input("Ann")
    at.button[0].click().run()

    assert error_texts(at) == ["Choose your stakeholder group."]
    assert state.Q_PARTICIPANT not in at.query_params
    assert joined(svc, sample) == []


def test_a_workshop_without_groups_asks_for_none(svc, sample):
    svc.set_groups(sample.key, sample.workshop.id, [])
    at = join_app(sample.code)
    assert at.selectbox.len == 0

    at.button[0].click().run()

    assert not at.error
    assert joined(svc, sample) == [("Anonymous 1", None)]


def test_group_descriptions_help_people_choose(svc, sample):
    svc.set_groups(sample.key, sample.workshop.id, [GroupSpec("Schools", "Head teachers and the college")])
    at = join_app(sample.code)

    assert at.selectbox(key=state.JOIN_GROUP).options == ["Schools — Head teachers and the college"]
