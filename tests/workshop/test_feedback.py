"""Feedback between rounds through the service: the earlier answers shown back, keeping them, reasons, attrition."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from ranking.feedback import WHOLE_ROOM, feedback_lines
from workshop.archive import FORMAT_VERSION, ArchiveError, dumps, loads
from workshop.archive.model import FEEDBACK_SINCE
from workshop.errors import InvalidInput, NotFound, PermissionDenied, RoundNotOpen
from workshop.exports import ExportFormat, build_content, render_content
from workshop.models import FeedbackSettings, FeedbackSplit, Participant, RoundKind, Workshop
from workshop.service import WorkshopService

from .conftest import small_setup

ASK_WHY = FeedbackSettings(ask_why=True)


class Room:
    """A workshop whose round 1 four people scored (three Council, one NHS) and closed, with a round 2."""

    def __init__(self, service: WorkshopService, feedback: FeedbackSettings = ASK_WHY) -> None:
        self.service = service
        workshop, self.key = service.create_workshop(small_setup())
        self.workshop: Workshop = service.workshop_by_id(workshop.id, self.key)
        (self.round1,) = self.workshop.rounds  # round 1 scores every priority
        self.a, self.b = self.workshop.priorities[0], self.workshop.priorities[1]
        self.need, self.cost, self.evidence = self.workshop.criteria
        service.open_round(self.key, self.round1.id)
        self.people: list[Participant] = [
            service.join(self.workshop.code, name, group)
            for name, group in (("Ann", "Council"), ("Bob", "Council"), ("Cy", "Council"), (None, "NHS"))
        ]
        # Need (1–5) on A: 1, 4, 5, 5; Cost (0–10): Ann "don't know".
        for person, need, cost in zip(self.people, (1, 4, 5, 5), (None, 2, 3, 9), strict=True):
            service.save_score(person.token, self.round1.id, self.a.id, self.need.id, need)
            service.save_score(person.token, self.round1.id, self.a.id, self.cost.id, cost)
        service.close_round(self.key, self.round1.id)
        self.round2 = service.create_followup_round(self.key, self.round1.id, [self.a.id, self.b.id], feedback=feedback)

    def open2(self) -> None:
        self.service.open_round(self.key, self.round2.id)


@pytest.fixture
def room(service: WorkshopService) -> Room:
    return Room(service)


def test_a_participant_sees_their_own_earlier_answer_and_the_rooms_lines_split_by_group(room: Room):
    room.open2()
    ann = room.people[0]
    seen = room.service.my_feedback(ann.token, room.round2.id)
    assert seen.earlier is not None and seen.earlier.id == room.round1.id and seen.own_group == "Council"
    need = seen.of(room.a.id, room.need.id)
    assert need is not None and need.answered and need.mine == 1.0
    # Council's three answers shown; NHS alone (1 answer) would show that person's answer: left out.
    assert [line.label for line in need.reading.lines] == ["Council"]
    assert need.reading.lines[0].counts == (1, 0, 0, 1, 1) and need.reading.lines[0].median == 4.0
    assert need.reading.left_out == 1
    cost = seen.of(room.a.id, room.cost.id)
    assert cost is not None and cost.answered and cost.mine is None  # "don't know" earlier
    assert cost.reading.lines[0].dont_know == 1
    assert seen.of(room.b.id, room.need.id) is not None and not seen.of(room.b.id, room.need.id).answered


def test_the_lines_are_ranking_feedback_lines_and_the_facilitators_preview_shows_the_same(room: Room):
    """One function reads the earlier answers: the participant's card and the facilitator's preview."""
    room.open2()
    mine = room.service.my_feedback(room.people[1].token, room.round2.id)
    preview = room.service.round_feedback(room.key, room.round2.id)
    expected = feedback_lines([1, 4, 5, 5], ["Council"] * 3 + ["NHS"], [1, 2, 3, 4, 5], True, ("Council", "NHS"))
    assert mine.of(room.a.id, room.need.id).reading == expected
    assert [q.reading for q in mine.questions] == [q.reading for q in preview.questions]
    assert not any(q.answered for q in preview.questions)  # the preview is nobody's own


def test_the_whole_room_when_the_facilitator_switches_it(room: Room):
    room.service.set_round_feedback(room.key, room.round2.id, FeedbackSettings(FeedbackSplit.ROOM))
    room.open2()
    seen = room.service.my_feedback(room.people[3].token, room.round2.id)
    (line,) = seen.of(room.a.id, room.need.id).reading.lines
    assert line.label == WHOLE_ROOM and line.responses == 4 and line.median == 4.5
    assert seen.of(room.a.id, room.need.id).mine == 5.0


def test_a_participant_reads_no_one_elses_answers_and_other_workshops_are_refused(room: Room, service: WorkshopService):
    room.open2()
    seen = service.my_feedback(room.people[3].token, room.round2.id)
    # Only counts and medians of lines of at least three; their own answer is theirs.
    assert all(line.responses >= 3 for q in seen.questions for line in q.reading.lines)
    assert seen.of(room.a.id, room.need.id).mine == 5.0 and seen.own_group == "NHS"
    other, other_key = service.create_workshop(small_setup("Other"))
    stranger = service.join(other.code, "Eve", "Council")
    with pytest.raises(PermissionDenied):
        service.my_feedback(stranger.token, room.round2.id)
    with pytest.raises(PermissionDenied):
        service.round_feedback(other_key, room.round2.id)
    with pytest.raises(PermissionDenied):
        service.change_reasons(room.people[0].token, room.round2.id)  # a token is no facilitator key
    with pytest.raises(PermissionDenied):
        service.attrition(other_key, room.round2.id)
    with pytest.raises(NotFound):
        service.my_feedback("not-a-token", room.round2.id)


def test_the_earlier_answers_reach_the_room_only_once_the_follow_up_round_opens(room: Room):
    # Round 1 is closed, not revealed: until round 2 opens, nobody in the room may read its answers.
    with pytest.raises(RoundNotOpen):
        room.service.my_feedback(room.people[0].token, room.round2.id)
    room.open2()
    assert room.service.my_feedback(room.people[0].token, room.round2.id).questions


def test_keep_my_answers_copies_the_cards_earlier_answers_in_one_action(room: Room):
    room.open2()
    ann = room.people[0]
    room.service.keep_earlier_answers(ann.token, room.round2.id, room.a.id)
    mine = room.service.my_scores(ann.token, room.round2.id)
    assert mine.entry(room.a.id, room.need.id).value == 1.0
    assert mine.entry(room.a.id, room.cost.id).value is None  # "don't know" kept as "don't know"
    assert mine.entry(room.a.id, room.evidence.id) is None  # not answered earlier: still to answer
    with pytest.raises(InvalidInput, match="did not answer this priority in Round 1"):
        room.service.keep_earlier_answers(ann.token, room.round2.id, room.b.id)


def test_a_reason_is_stored_for_a_change_across_the_scale_and_shown_without_who_gave_it(room: Room):
    room.open2()
    ann, bob = room.people[:2]
    service, r2 = room.service, room.round2.id
    service.save_score(ann.token, r2, room.a.id, room.need.id, 5)  # 1 → 5: bottom third to top third
    service.save_change_reason(ann.token, r2, room.a.id, room.need.id, "  The evidence pack changed my mind  ")
    service.save_score(bob.token, r2, room.a.id, room.need.id, 3)  # 4 → 3: into the middle only
    with pytest.raises(InvalidInput, match="bottom and the top third"):
        service.save_change_reason(bob.token, r2, room.a.id, room.need.id, "no band crossed")
    (reason,) = service.change_reasons(room.key, r2)
    assert (reason.priority, reason.criterion, reason.before, reason.after) == (room.a.name, "Need", 1.0, 5.0)
    assert reason.reason == "The evidence pack changed my mind"
    assert "Ann" not in repr(reason) and not hasattr(reason, "participant_id")
    assert [r.reason for r in service.my_change_reasons(ann.token, r2)] == ["The evidence pack changed my mind"]
    # A further change drops the reason with the answer it was for.
    service.save_score(ann.token, r2, room.a.id, room.need.id, 2)
    assert service.change_reasons(room.key, r2) == ()
    service.save_score(ann.token, r2, room.a.id, room.need.id, 4)
    service.save_change_reason(ann.token, r2, room.a.id, room.need.id, "")  # empty: nothing stored
    assert service.change_reasons(room.key, r2) == ()


def test_no_reason_where_the_round_does_not_ask_or_the_text_is_too_long(service: WorkshopService):
    room = Room(service, FeedbackSettings())
    room.open2()
    ann = room.people[0]
    service.save_score(ann.token, room.round2.id, room.a.id, room.need.id, 5)
    with pytest.raises(InvalidInput, match="does not ask why"):
        service.save_change_reason(ann.token, room.round2.id, room.a.id, room.need.id, "because")
    service.close_round(room.key, room.round2.id)
    with pytest.raises(InvalidInput, match="has run"):
        service.set_round_feedback(room.key, room.round2.id, ASK_WHY)


def test_settings_are_checked_at_the_boundary(room: Room):
    service = room.service
    with pytest.raises(InvalidInput, match="for scoring rounds"):
        service.create_followup_round(
            room.key, room.round1.id, [room.a.id, room.b.id], RoundKind.RANKING, feedback=ASK_WHY
        )
    with pytest.raises(InvalidInput, match="split"):
        service.set_round_feedback(room.key, room.round2.id, FeedbackSettings("sideways", False, False))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="preselect"):
        service.set_round_feedback(room.key, room.round2.id, FeedbackSettings(FeedbackSplit.ROOM, 1, False))  # type: ignore[arg-type]
    assert service.workshop_by_id(room.workshop.id, room.key).rounds[1].feedback == ASK_WHY  # nothing changed
    assert FeedbackSettings() == FeedbackSettings(FeedbackSplit.GROUPS, preselect=False, ask_why=False)


def test_attrition_by_round_and_group_and_who_is_still_to_finish(room: Room):
    room.open2()
    service, r2 = room.service, room.round2.id
    ann, bob = room.people[:2]
    for priority in (room.a, room.b):
        for criterion in room.workshop.criteria:
            service.save_score(ann.token, r2, priority.id, criterion.id, 1)
    service.save_score(bob.token, r2, room.a.id, room.need.id, 2)
    found = service.attrition(room.key, r2)
    assert found.previous is not None and found.previous.id == room.round1.id
    assert [c.round.number for c in found.completion] == [1, 2]
    council = found.completion[1].groups[0]
    assert (council.group, council.joined, council.started, council.finished) == ("Council", 3, 2, 1)
    assert [g.group for g in found.completion[0].groups] == ["Council", "NHS"]
    assert found.dropped == ("Cy", "Anonymous 4")  # answered round 1, nothing of round 2
    assert found.to_finish == ("Bob", "Cy", "Anonymous 4")  # names where given, otherwise their numbers
    assert found.copy_text == "Bob\nCy\nAnonymous 4"


def test_feedback_only_follows_a_scoring_round_that_has_run(room: Room):
    first = room.service.round_feedback(room.key, room.round1.id)
    assert first.earlier is None and first.questions == ()
    preview = room.service.round_feedback(room.key, room.round2.id)  # the facilitator may look before it opens
    assert preview.earlier is not None and preview.earlier.id == room.round1.id
    ranking = room.service.create_followup_round(room.key, room.round1.id, [room.a.id, room.b.id], RoundKind.RANKING)
    assert room.service.round_feedback(room.key, ranking.id).earlier is None


# --------------------------------------------------------------------------- the archive


def _answered_with_reason(room: Room) -> None:
    room.open2()
    ann = room.people[0]
    room.service.save_score(ann.token, room.round2.id, room.a.id, room.need.id, 5)
    room.service.save_change_reason(ann.token, room.round2.id, room.a.id, room.need.id, "The NHS data «changed»")
    room.service.close_round(room.key, room.round2.id)


def test_the_archive_carries_the_round_settings_and_the_reasons(room: Room):
    _answered_with_reason(room)
    service = room.service
    text = dumps(service.export_archive(room.key, room.workshop.id))
    doc = json.loads(text)
    assert doc["format_version"] == FORMAT_VERSION >= FEEDBACK_SINCE
    assert doc["rounds"][1]["feedback"] == {"split": "groups", "preselect": False, "ask_why": True}
    assert doc["rounds"][1]["reasons"] == [[1, room.a.name, "Need", "The NHS data «changed»"]]
    assert doc["rounds"][0]["reasons"] == []
    copy, copy_key = service.import_archive(loads(text))
    assert [r.feedback for r in copy.rounds] == [FeedbackSettings(), ASK_WHY]
    assert service.change_reasons(copy_key, copy.rounds[1].id) == service.change_reasons(room.key, room.round2.id)
    again = json.loads(dumps(service.export_archive(copy_key, copy.id)))
    assert [(r["feedback"], r["reasons"]) for r in again["rounds"]] == [
        (r["feedback"], r["reasons"]) for r in doc["rounds"]
    ]


def test_an_archive_from_before_feedback_imports_with_the_defaults(room: Room):
    _answered_with_reason(room)
    doc = json.loads(dumps(room.service.export_archive(room.key, room.workshop.id)))
    doc["format_version"] = FEEDBACK_SINCE - 1
    for rnd in doc["rounds"]:
        del rnd["feedback"], rnd["reasons"]
    copy, copy_key = room.service.import_archive(loads(json.dumps(doc)))
    assert [r.feedback for r in copy.rounds] == [FeedbackSettings(), FeedbackSettings()]
    assert room.service.change_reasons(copy_key, copy.rounds[1].id) == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.update(reasons=[[2, "Priority A", "Need", "why"]]),
            "Round 2, reason 1: participant 2 has no score",
        ),
        (lambda r: r["reasons"].append(r["reasons"][0]), "Round 2, reason 2: a second reason"),
        (
            lambda r: r.update(feedback={"split": "up", "preselect": False, "ask_why": True}),
            "Round 2: the feedback's split",
        ),
        (lambda r: r.pop("feedback"), "Round 2: 'feedback' is missing"),
        (
            lambda r: r["feedback"].update(ask_why="yes"),
            "Round 2: the feedback settings: 'ask_why' must be true or false",
        ),
    ],
)
def test_a_bad_feedback_entry_is_refused_naming_it(room: Room, change, message):  # type: ignore[no-untyped-def]
    _answered_with_reason(room)
    doc = json.loads(dumps(room.service.export_archive(room.key, room.workshop.id)))
    change(doc["rounds"][1])
    with pytest.raises(ArchiveError) as refused:
        loads(json.dumps(doc))
    assert refused.value.message.startswith(message)


# --------------------------------------------------------------------------- the exports


def test_the_board_paper_and_the_workbook_carry_the_reasons_without_names(room: Room):
    _answered_with_reason(room)
    content = build_content(room.service, room.key, room.workshop.id)
    (row,) = content.change_reasons
    assert (row.round_number, row.priority, row.criterion, row.change) == (
        2,
        room.a.name,
        "Need",
        "bottom third to top third",
    )
    assert row.reason == "The NHS data «changed»"
    (shown,) = content.feedback_rounds
    assert shown.round_label.startswith("Round 2") and "asking why answers changed" in shown.settings
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert "Feedback between rounds" in html and "The NHS data «changed»" in html
    section = html[html.index("Why answers changed") - 2000 : html.index("Why answers changed") + 2000]
    assert "Ann" not in section and "Participant 1" not in section
    sheet = openpyxl.load_workbook(io.BytesIO(render_content(content, ExportFormat.XLSX).data))["Reasons for changes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert (2, room.a.name, "Need", "bottom third to top third", "The NHS data «changed»") in [r[:5] for r in rows]
