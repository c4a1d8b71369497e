"""Importing priorities and criteria from CSV and XLSX: every kind of row
error is reported with its spreadsheet row number, all in one go, a
file with errors (or only a header row) changes nothing, and the app reads
a file as the command line does (one parser, ranking.io)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ranking.io import read_criteria, read_priorities
from ranking.model import RankingInputError
from tests.workshop.conftest import Made, snapshot
from workshop.errors import InvalidInput, SetupLocked
from workshop.imports import APP_SCALE, MAX_FILE_BYTES, parse_criteria, parse_groups, parse_priorities, sample_setup
from workshop.models import PrioritySpec
from workshop.service import WorkshopService
from workshop.store import Store

Rows = list[list[object]]


def as_csv(rows: Rows, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: Rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ENCODERS = {"csv": as_csv, "xlsx": as_xlsx}
PRIORITY_HEADER: list[object] = ["priority", "theme", "description", "evidence"]
CRITERION_HEADER: list[object] = ["criterion", "weight", "direction", "min", "max", "description"] + [
    f"descriptor_{n}" for n in range(1, 6)
]


def data_file(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def messages(errors: tuple) -> list[str]:
    return [str(e) for e in errors]


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_the_plain_language_columns_are_optional_and_read_from_csv_and_xlsx(fmt: str):
    rows: Rows = [
        [*PRIORITY_HEADER, "plain_title", "plain_sentence"],
        ["Childhood obesity", "Be healthy", "", "", "Eating well", "Help children eat good food."],
        ["Teenage pregnancy", "Be healthy", "", "", "", ""],
    ]
    parsed = parse_priorities(ENCODERS[fmt](rows), f"priorities.{fmt}")
    assert parsed.ok
    assert [(p.plain_title, p.plain_sentence) for p in parsed.items] == [
        ("Eating well", "Help children eat good food."),
        ("", ""),
    ]
    long_title = parse_priorities(ENCODERS[fmt]([rows[0], ["Neglect", "", "", "", "x" * 201, ""]]), "p")
    assert not long_title.ok
    assert "plain-language title of 'Neglect' is longer than 200 characters" in messages(long_title.errors)[0]


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_priorities_are_read_from_csv_and_xlsx(fmt: str):
    rows: Rows = [
        PRIORITY_HEADER,
        ["Childhood obesity", "Be healthy", "Reduce obesity", "NI 56 obesity in Year 6"],
        ["Teenage pregnancy", "Be healthy", "", "NI 112"],
        [None, None, None, None],  # blank rows are skipped
        ["  Youth offending  ", "Stay safe", "First-time entrants", ""],
    ]
    parsed = parse_priorities(ENCODERS[fmt](rows), f"priorities.{fmt}")
    assert parsed.ok
    assert parsed.items == (
        PrioritySpec("Childhood obesity", "Be healthy", "Reduce obesity", "NI 56 obesity in Year 6"),
        PrioritySpec("Teenage pregnancy", "Be healthy", "", "NI 112"),
        PrioritySpec("Youth offending", "Stay safe", "First-time entrants", ""),
    )


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_priority_row_errors_are_all_reported_with_row_numbers(fmt: str):
    rows: Rows = [
        PRIORITY_HEADER,
        ["Obesity", "Be healthy", "", ""],
        ["", "Stay safe", "a priority without a name", ""],
        ["obesity ", "Be healthy", "", ""],
        [None, None, None, None],
        ["x" * 201, "", "", ""],
        ["Fine", "", "", ""],
    ]
    parsed = parse_priorities(ENCODERS[fmt](rows))
    assert messages(parsed.errors) == [
        "Row 3: priority name is blank.",
        "Row 4: priority 'obesity' appears again (first at row 2 as 'Obesity').",
        "Row 6: The priority name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is longer than 200 characters.",
    ]
    assert [p.name for p in parsed.items] == ["Obesity", "Fine"]


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_criterion_row_errors_are_all_reported_with_row_numbers(fmt: str):
    rows: Rows = [
        CRITERION_HEADER,
        ["Need", 25, "benefit", 1, 5, "Scale of need", "very few", "few", "some", "many", "most"],
        ["Severity", "high", "benefit", 1, 5],
        ["Trend", 10, "upwards", 1, 5],
        ["Scale", 10, "benefit", 5, 1],
        ["Half", 10, "benefit", 1.5, 5],
        ["Wide", 10, "benefit", 0, 20],
        ["Negative", -5, "benefit", 1, 5],
        ["Short", 10, "cost", 1, 3, "", "a", "b", "c", "d"],
        ["need", 5, "benefit", 1, 5],
        ["", 5, "benefit", 1, 5],
        ["Cost", 10, "Cost", 1, 4, "", "none", "low", "", "high"],
    ]
    parsed = parse_criteria(ENCODERS[fmt](rows))
    assert messages(parsed.errors) == [
        "Row 3: weight must be a non-negative number, not 'high'.",
        "Row 4: direction for criterion 'Trend' must be 'benefit' or 'cost', not 'upwards'.",
        "Row 5: criterion 'Scale': scale maximum must be above the minimum (got 5..1).",
        "Row 6: The scale minimum of 'Half' must be a whole number, not 1.5.",
        "Row 7: Criterion 'Wide': a scale of 0..20 has 21 points; the limit is 11.",
        "Row 8: weight must be a non-negative number, not '-5'.",
        "Row 9: descriptor_4 describes a score of 4, outside the scale 1..3.",
        "Row 10: criterion 'need' appears again (first at row 2 as 'Need').",
        "Row 11: criterion name is blank.",
    ]
    need, cost = parsed.items
    assert (need.name, need.weight, need.scale_min, need.scale_max) == ("Need", 25.0, 1, 5)
    assert need.descriptors == ("very few", "few", "some", "many", "most")
    assert (cost.direction.value, cost.scale_min, cost.scale_max) == ("cost", 1, 4)
    assert cost.descriptors == ("none", "low", "", "high")
    zero = parse_criteria(
        ENCODERS[fmt]([["criterion", "min", "max", "descriptor_0", "descriptor_2"], ["Z", 0, 2, "no", "yes"]])
    )
    assert zero.items[0].descriptors == ("no", "", "yes")  # descriptor_N describes a score of N


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_groups_are_read_and_their_row_errors_all_reported(fmt: str):
    good = parse_groups(ENCODERS[fmt]([["Group", "Description"], ["NHS trust", "Acute care"], ["Council", None]]))
    assert good.ok
    assert [(g.name, g.description) for g in good.items] == [("NHS trust", "Acute care"), ("Council", "")]
    rows: Rows = [
        ["group", "description"],
        ["NHS trust", ""],
        ["", "a group without a name"],
        ["nhs TRUST", ""],
        ["Police", "x" * 5001],
        ["Schools", ""],
    ]
    parsed = parse_groups(ENCODERS[fmt](rows))
    assert messages(parsed.errors)[:2] == [
        "Row 3: group name is blank.",
        "Row 4: group 'nhs TRUST' appears again (first at row 2 as 'NHS trust').",
    ]
    assert messages(parsed.errors)[2] == "Row 5: The description of 'Police' is longer than 5000 characters."
    assert len(parsed.errors) == 3 and [g.name for g in parsed.items] == ["NHS trust", "Schools"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"stakeholder,notes\nNHS,\n", "The file needs a 'group' column (found: stakeholder, notes)."),
        (
            b"group,description\n",
            "The file has no groups, only a header row; put one group per row under the 'group' heading.",
        ),
        (b"group\n" + b"".join(b"G%d\n" % n for n in range(51)), "The file has 51 groups; the limit is 50."),
    ],
)
def test_a_groups_file_without_usable_groups_is_refused(data: bytes, message: str):
    parsed = parse_groups(data, "groups.csv")
    assert messages(parsed.errors)[0] == message
    assert not parsed.ok


def test_defaults_decimal_commas_semicolons_and_a_byte_order_mark():
    text = "\ufeffCriterion;Weight;Scale Min;Scale Max\nReach;0,5;0;3\nNeed;1;;\n"
    parsed = parse_criteria(text.encode("utf-8"))
    assert parsed.ok
    reach, need = parsed.items
    assert (reach.weight, reach.scale_min, reach.scale_max) == (0.5, 0, 3)
    assert (need.weight, need.direction.value, need.scale_min, need.scale_max) == (1.0, "benefit", 1, 5)
    assert parsed.notes == (
        "No min and max given for Need, so it is scored on the default scale 1..5. "
        "To choose another scale, add min and max columns to the file.",
    )
    assert parse_groups(b"group,description\nNHS,Health\nCouncil,\n").items[1].name == "Council"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"priority\n" + b"x" * MAX_FILE_BYTES, "The file is 2.0 MB; the limit is 2 MB."),
        ("priority\nCaf\u00e9 culture\n".encode("cp1252"), "The file is not UTF-8 text (byte 0xe9 at position 12)."),
        (b"name_of_thing,theme\nX,Y\n", "The file needs a 'priority' column (found: name_of_thing, theme)."),
        (b"", "The file is empty."),
        (b" \n \n", "The file is empty."),
        (b"PK\x03\x04 not really a workbook", "The file could not be read as an Excel workbook (.xlsx)."),
    ],
)
def test_whole_file_problems_are_reported_once(data: bytes, message: str):
    parsed = parse_priorities(data)
    assert len(parsed.errors) == 1 and parsed.errors[0].row is None
    assert parsed.errors[0].message.startswith(message)
    assert parsed.items == ()


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_too_many_rows(fmt: str):
    priorities = parse_priorities(ENCODERS[fmt]([PRIORITY_HEADER] + [[f"P{n}"] for n in range(201)]))
    assert messages(priorities.errors) == ["The file has 201 priorities; the limit is 200."]
    criteria = parse_criteria(ENCODERS[fmt]([CRITERION_HEADER] + [[f"C{n}"] for n in range(13)]))
    assert messages(criteria.errors) == ["The file has 13 criteria; the limit is 12."]


field_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(',;"\n\t'), max_size=40)
names = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(',;"'), min_size=1, max_size=30).filter(
        lambda s: s.strip() and len(s.strip()) <= 200
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda s: s.strip().casefold(),
)


@given(names=names, texts=st.lists(st.tuples(field_text, field_text, field_text), min_size=8, max_size=8))
def test_any_priorities_written_to_csv_read_back_the_same(names: list[str], texts: list[tuple[str, str, str]]):
    specs = [PrioritySpec(n, *t) for n, t in zip(names, texts, strict=False)]
    rows: Rows = [PRIORITY_HEADER] + [[s.name, s.theme, s.description, s.evidence] for s in specs]
    parsed = parse_priorities(as_csv(rows))
    assert parsed.errors == () and list(parsed.items) == specs


@settings(max_examples=20, deadline=None)
@given(names=names.filter(lambda ns: not any(n.startswith("=") for n in ns)))  # openpyxl writes "=…" as a formula
def test_any_priorities_written_to_xlsx_read_back_the_same(names: list[str]):
    specs = [PrioritySpec(n, "theme") for n in names]
    parsed = parse_priorities(as_xlsx([PRIORITY_HEADER] + [[s.name, s.theme] for s in specs]))
    assert parsed.errors == () and list(parsed.items) == specs


# --------------------------------------------------------------------------- through the service


def test_an_import_with_errors_changes_nothing(service: WorkshopService, store: Store, made: Made):
    before = snapshot(store.engine)
    result = service.import_priorities(made.key, made.id, as_csv([PRIORITY_HEADER, ["A"], ["a"], ["B"]]))
    assert (result.applied, result.count, messages(result.errors)) == (
        False,
        2,
        ["Row 3: priority 'a' appears again (first at row 2 as 'A')."],
    )
    assert snapshot(store.engine) == before
    too_few = service.import_priorities(made.key, made.id, as_csv([PRIORITY_HEADER, ["A"], ["B"]]))  # shortlist is 3
    assert not too_few.applied and "shortlist has 3 places" in messages(too_few.errors)[0]
    assert snapshot(store.engine) == before


def test_a_clean_import_replaces_the_list(service: WorkshopService, made: Made):
    result = service.import_criteria(
        made.key,
        made.id,
        as_xlsx([CRITERION_HEADER, ["Need", 3, "benefit", 1, 3, "", "low", "mid", "high"], ["Cost", 1, "cost"]]),
    )
    assert (result.applied, result.count, result.errors) == (True, 2, ())
    workshop = service.workshop_by_id(made.id)
    assert [(c.name, c.weight, c.descriptors) for c in workshop.criteria] == [
        ("Need", 3.0, ("low", "mid", "high")),
        ("Cost", 1.0, ("",) * 5),
    ]
    result = service.import_priorities(made.key, made.id, as_csv([PRIORITY_HEADER] + [[f"P{n}"] for n in range(4)]))
    assert result.applied and [p.name for p in service.workshop_by_id(made.id).priorities] == ["P0", "P1", "P2", "P3"]


def test_imports_are_refused_once_setup_is_locked(service: WorkshopService, store: Store, made: Made):
    service.open_round(made.key, made.scoring_round)
    before = snapshot(store.engine)
    with pytest.raises(SetupLocked):
        service.import_priorities(made.key, made.id, b"not even a valid file \xff")
    assert snapshot(store.engine) == before


# --------------------------------------------------------------------------- the sample workshop


def test_the_sample_workshop_can_be_created(service: WorkshopService):
    setup = sample_setup()
    assert (len(setup.priorities), len(setup.criteria), len(setup.groups), setup.shortlist_size) == (32, 5, 6, 5)
    workshop, _ = service.create_workshop(setup)
    assert workshop.title == setup.details.title and len(workshop.rounds[0].priority_ids) == 32


def test_an_incomplete_or_broken_sample_folder_is_named(tmp_path: Path):
    with pytest.raises(
        InvalidInput, match=r"incomplete: workshop\.toml, priorities\.csv, criteria\.csv, groups\.csv missing"
    ):
        sample_setup(tmp_path)
    (tmp_path / "workshop.toml").write_text('title = "T"\nshortlist_size = 1\n')
    (tmp_path / "priorities.csv").write_text("priority\nA\na\n")
    (tmp_path / "criteria.csv").write_text("criterion,weight\nNeed,lots\n")
    (tmp_path / "groups.csv").write_text("group\nNHS\n")
    with pytest.raises(InvalidInput) as info:
        sample_setup(tmp_path)
    assert info.value.problems == (
        "priorities.csv: Row 3: priority 'a' appears again (first at row 2 as 'A').",
        "criteria.csv: Row 2: weight must be a non-negative number, not 'lots'.",
    )


# --------------------------------------------------------------------------- one parser, two callers


@pytest.mark.parametrize(
    ("what", "header"),
    [("priorities", PRIORITY_HEADER), ("criteria", CRITERION_HEADER)],
)
@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_a_file_with_only_a_header_row_is_refused_and_changes_nothing(
    service: WorkshopService, store: Store, made: Made, what: str, header: list[object], fmt: str
):
    before = snapshot(store.engine)
    result = getattr(service, f"import_{what}")(made.key, made.id, ENCODERS[fmt]([header]), f"{what}.{fmt}")
    singular = {"priorities": "priority", "criteria": "criterion"}[what]
    assert (result.applied, messages(result.errors)) == (
        False,
        [f"The file has no {what}, only a header row; put one {singular} per row under the '{singular}' heading."],
    )
    assert snapshot(store.engine) == before


def test_cells_beyond_the_header_are_refused_by_both_parsers():
    data = b"priority,theme\nA\nB,t,extra,cells\n"
    assert messages(parse_priorities(data, "p.csv").errors) == ["Row 3: has 4 cells but the header has 2 columns."]
    with pytest.raises(RankingInputError, match=r"^p\.csv row 3: has 4 cells but the header has 2 columns$"):
        read_priorities(data_file(data, "p.csv"))


def test_the_start_page_parsers_refuse_a_header_only_file_too():
    for parse, header in ((parse_priorities, b"priority,theme\n"), (parse_criteria, b"criterion,weight\n")):
        parsed = parse(header, "list.csv")
        assert not parsed.ok and parsed.items == () and "only a header row" in parsed.errors[0].message


def test_an_import_says_which_scale_it_assumed(service: WorkshopService, made: Made):
    result = service.import_criteria(made.key, made.id, b"criterion,weight\nNeed,2\nCost,1\n", "criteria.csv")
    assert result.applied and result.notes == (
        "No min and max given for Need and Cost, so they are scored on the default scale 1..5. "
        "To choose another scale, add min and max columns to the file.",
    )
    given = service.import_criteria(made.key, made.id, b"criterion,min,max\nNeed,0,3\n", "criteria.csv")
    assert given.applied and given.notes == ()


CRITERIA_FILES = [
    b"criterion,weight,direction,min,max\nNeed,2,benefit,1,5\nCost,1,cost,0,3\n",
    b"criterion,weight,direction\nNeed,2,benefit\nCost,,cost\n",  # a blank weight: refused by both
    b"criterion,weight,direction\nNeed,,benefit\nCost,,cost\n",  # all blank: equal weights in both
    b"criterion;weight;min;max\nNeed;0,5;1;5\n",  # decimal comma in a semicolon file
    b"criterion,weight\nNeed,1\nneed,2\n",  # the same name twice, ignoring case
    b"criterion,weight,direction\n",  # header only
    b"criterion,descriptor_5,descriptor_6\nNeed,most,too high\n",  # descriptor outside the default 1..5
]


@pytest.mark.parametrize("data", CRITERIA_FILES)
def test_the_app_and_the_command_line_read_a_criteria_file_alike(data: bytes):
    """The same file gives the same criteria (with the app's default scale passed to the
    command line's reader) or is refused by both: one parser."""
    parsed = parse_criteria(data, "criteria.csv")
    try:
        engine = read_criteria(data, default_scale=APP_SCALE)
    except RankingInputError:
        assert not parsed.ok
        return
    assert parsed.ok
    assert [(c.name, c.weight, c.direction, c.scale_min, c.scale_max) for c in parsed.items] == [
        (c.name, c.weight, c.direction, c.scale_min, c.scale_max) for c in engine
    ]
