"""Start page: create a workshop, see its key once, sign in, refuse a wrong key."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, app, error_texts
from ui import state
from workshop.service import WRONG_KEY, WorkshopService


def texts(at: AppTest) -> str:
    """Everything the page shows as text, in one string."""
    parts = [
        e.value
        for kind in ("markdown", "code", "error", "warning", "info", "success", "caption")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_sample_workshop_is_created_and_its_key_shown_once(svc: WorkshopService):
    at = app()
    at.run()
    at.button(key=state.START_CREATE_SAMPLE).click().run()
    assert not at.exception

    (summary,) = svc.list_workshops()
    shown = at.session_state[state.NEW_KEY]
    assert svc.check_key(summary.code, shown.key).id == summary.id
    codes = [c.value for c in at.code]
    assert shown.key in codes
    assert any(f"w={summary.code}" in c and "k=" in c for c in codes)
    assert "cannot be shown again" in texts(at)
    assert at.query_params[state.Q_WORKSHOP] == summary.code

    at.button(key=state.START_KEY_SAVED).click().run()
    assert not at.exception
    assert state.NEW_KEY not in at.session_state
    assert shown.key not in texts(at)
    assert "You are the facilitator" in texts(at)
    assert len(svc.list_workshops()) == 1


def test_malformed_csv_lists_rows_and_creates_nothing(svc: WorkshopService):
    at = app()
    at.run()
    at.text_input(key=state.START_UPLOAD_TITLE).input("Our workshop")
    bad = b"priority,theme\nSchool readiness,Enjoy and achieve\n,Be healthy\nSchool readiness,Stay safe\n"
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("priorities.csv", bad, "text/csv"))
    at.run()
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception

    errors = "\n".join(error_texts(at))
    assert "Row 3: priority name is blank." in errors
    assert "Row 4: priority 'School readiness' appears again (first at row 2)." in errors
    assert "No workshop was created" in texts(at)
    assert svc.list_workshops() == ()
    assert state.NEW_KEY not in at.session_state


def test_good_spreadsheet_creates_the_workshop(svc: WorkshopService):
    at = app()
    at.run()
    at.text_input(key=state.START_UPLOAD_TITLE).input("Our workshop")
    good = b"priority,theme\nSchool readiness,Enjoy and achieve\nObesity,Be healthy\n"
    criteria = b"criterion,weight,min,max\nScale of need,2,1,5\nSeverity,1,1,5\n"
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("p.csv", good, "text/csv"))
    at.file_uploader(key=state.START_CRITERIA_FILE).set_value(("c.csv", criteria, "text/csv"))
    at.run()
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    (summary,) = svc.list_workshops()
    workshop = svc.workshop(summary.code)
    assert [p.name for p in workshop.priorities] == ["School readiness", "Obesity"]
    assert [c.weight for c in workshop.criteria] == [2.0, 1.0]
    assert workshop.shortlist_size == 2


def test_a_header_only_file_creates_nothing(svc: WorkshopService):
    at = app()
    at.run()
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("p.csv", b"priority,theme\nA,\n", "text/csv"))
    at.file_uploader(key=state.START_CRITERIA_FILE).set_value(("c.csv", b"criterion,weight\n", "text/csv"))
    at.run()
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    errors = "\n".join(error_texts(at))
    assert "The criteria file 'c.csv' has 1 problem" in errors and "only a header row" in errors
    assert svc.list_workshops() == ()


def test_the_new_workshop_says_which_scale_it_assumed(svc: WorkshopService):
    at = app()
    at.run()
    at.text_input(key=state.START_UPLOAD_TITLE).input("Our workshop")
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("p.csv", b"priority\nA\nB\n", "text/csv"))
    at.file_uploader(key=state.START_CRITERIA_FILE).set_value(("c.csv", b"criterion,weight\nNeed,2\n", "text/csv"))
    at.run()
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    assert [c.scale_max for c in svc.workshop(svc.list_workshops()[0].code).criteria] == [5]
    assert any("No min and max given for Need, so it is scored on the default scale 1..5" in i.value for i in at.info)


def test_wrong_key_is_refused_and_no_facilitator_page_opens(sample: Made, svc: WorkshopService):
    at = app()
    at.query_params[state.Q_WORKSHOP] = sample.code
    at.query_params[state.Q_KEY] = "WRONG-WRONG-WRONG-WRONG"
    at.run()
    assert not at.exception
    assert WRONG_KEY in error_texts(at)
    assert state.FACILITATOR not in at.session_state
    assert "You are the facilitator" not in texts(at)

    at.switch_page("app_pages/setup.py").run()
    assert "This page is for the workshop's facilitator" in texts(at)
    assert not at.data_editor
    at.switch_page("app_pages/live.py").run()
    assert "This page is for the workshop's facilitator" in texts(at)


def test_sign_in_with_the_facilitator_link(sample: Made):
    at = app()
    at.run()
    link = f"https://example.org/?w={sample.code}&k={sample.key}"
    at.text_input(key=state.START_SIGN_IN_LINK).input(link)
    at.button(key=state.START_SIGN_IN).click().run()
    assert not at.exception
    assert at.session_state[state.FACILITATOR].workshop_id == sample.workshop.id
    assert "You are the facilitator" in texts(at)


def test_sign_in_with_code_and_wrong_key_says_so(sample: Made):
    at = app()
    at.run()
    at.text_input(key=state.START_SIGN_IN_LINK).input(sample.code.lower())
    at.text_input(key=state.START_SIGN_IN_KEY).input("AAAAA-BBBBB-CCCCC-DDDDD")
    at.button(key=state.START_SIGN_IN).click().run()
    assert WRONG_KEY in error_texts(at)
    assert state.FACILITATOR not in at.session_state


#: A facilitator's own files (issue 11): 12 research questions, criteria on a 1–9 scale and a cost criterion.
QUESTIONS = b"priority\n" + b"".join(b"Research question %d\n" % n for n in range(1, 13))
NINE_POINT = (
    b"criterion,weight,direction,min,max\nImportance,2,benefit,1,9\nFeasibility,1,benefit,1,9\nCost,1,cost,1,9\n"
)
GROUPS = b"group,description\nPatients and carers,People with lived experience\nClinicians,\nResearchers,\n"


def upload(at: AppTest, groups: tuple[str, bytes] | None) -> AppTest:
    at.text_input(key=state.START_UPLOAD_TITLE).input("Research priorities")
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("questions.csv", QUESTIONS, "text/csv"))
    at.file_uploader(key=state.START_CRITERIA_FILE).set_value(("criteria.csv", NINE_POINT, "text/csv"))
    if groups is not None:
        at.file_uploader(key=state.START_GROUPS_FILE).set_value((groups[0], groups[1], "text/csv"))
    at.run()
    return at


def test_the_upload_takes_a_groups_file(svc: WorkshopService):
    at = app()
    at.run()
    upload(at, ("groups.csv", GROUPS))
    assert "no stakeholder groups" not in texts(at)
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    (summary,) = svc.list_workshops()
    workshop = svc.workshop(summary.code)
    assert len(workshop.priorities) == 12
    assert [(c.scale_min, c.scale_max, c.direction.value) for c in workshop.criteria][-1] == (1, 9, "cost")
    assert [(g.name, g.description) for g in workshop.groups] == [
        ("Patients and carers", "People with lived experience"),
        ("Clinicians", ""),
        ("Researchers", ""),
    ]


def test_without_a_groups_file_the_page_says_there_will_be_no_groups(svc: WorkshopService):
    at = app()
    at.run()
    upload(at, None)
    (note,) = [i.value for i in at.info if "no stakeholder groups" in i.value]
    assert "participants are not asked which group" in note and "stay empty" in note
    assert "add groups on the Setup page" in note
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    (summary,) = svc.list_workshops()
    assert svc.workshop(summary.code).groups == ()


def test_a_bad_groups_file_names_the_file_and_row_and_creates_nothing(svc: WorkshopService):
    at = app()
    at.run()
    upload(at, ("partners.csv", b"group\nClinicians\n\nclinicians\n"))
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    assert not at.exception
    errors = "\n".join(error_texts(at))
    assert "The groups file 'partners.csv' has 1 problem" in errors
    assert "Row 4: group 'clinicians' appears again (first at row 2 as 'Clinicians')." in errors
    assert "No workshop was created" in texts(at)
    assert svc.list_workshops() == ()
    assert state.NEW_KEY not in at.session_state
