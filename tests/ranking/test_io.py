"""CSV readers: formats, row-numbered errors, encodings, and a fuzz that
every input either parses or raises RankingInputError."""

from __future__ import annotations

import io
import string
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking.io import (
    ScaleDescriptor,
    StakeholderGroup,
    check_criteria,
    read_allocations,
    read_criteria,
    read_criterion_rows,
    read_groups,
    read_pairwise,
    read_priorities,
    read_priority_rows,
    read_scores,
)
from ranking.model import Criterion, Direction, RankingInputError

CRITERIA = (Criterion("Need", 2), Criterion("Cost", 1, "cost"))
CRITERIA_CSV = "criterion,weight,direction,min,max\nNeed,2,benefit,1,5\nCost,1,cost,1,5\n"


def text(content: str) -> io.StringIO:
    return io.StringIO(content)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_of(call, *args) -> str:
    with pytest.raises(RankingInputError) as info:
        call(*args)
    return str(info.value)


# --------------------------------------------------------------------------- sources and encodings


class TestSources:
    def test_path_str_pathlike_bytes_and_streams_read_alike(self, tmp_path):
        path = write(tmp_path, "criteria.csv", CRITERIA_CSV)
        sources = [
            path,
            str(path),
            CRITERIA_CSV.encode(),
            text(CRITERIA_CSV),
            io.BytesIO(CRITERIA_CSV.encode()),
        ]
        results = [read_criteria(source) for source in sources]
        assert all(r == results[0] for r in results)
        assert [c.name for c in results[0]] == ["Need", "Cost"]

    def test_errors_name_the_file_for_paths(self, tmp_path):
        path = write(tmp_path, "my-criteria.csv", "criterion,weight,direction\nNeed,abc,benefit\n")
        assert error_of(read_criteria, path) == "my-criteria.csv row 2: weight must be a non-negative number, not 'abc'"

    def test_errors_use_a_stream_name_or_a_default_label(self):
        upload = io.BytesIO(b"criterion,weight,direction\nNeed,x,benefit\n")
        upload.name = "uploads/weights.csv"
        assert error_of(read_criteria, upload).startswith("weights.csv row 2:")
        assert error_of(read_criteria, text("criterion,weight,direction\nNeed,x,benefit\n")).startswith(
            "criteria row 2:"
        )

    def test_utf8_byte_order_mark_is_dropped(self, tmp_path):
        path = write(tmp_path, "criteria.csv", "\ufeff" + CRITERIA_CSV)
        assert [c.name for c in read_criteria(path)] == ["Need", "Cost"]
        assert [c.name for c in read_criteria(text("\ufeff" + CRITERIA_CSV))] == ["Need", "Cost"]

    def test_non_utf8_bytes_are_a_clear_error(self, tmp_path):
        path = write(tmp_path, "criteria.csv", "criterion,weight,direction\nCaf\xe9,1,benefit\n".encode("latin-1"))
        message = error_of(read_criteria, path)
        assert message.startswith("criteria.csv: is not UTF-8 text (byte 0xe9")
        assert "CSV UTF-8" in message

    def test_binary_stream_that_is_not_utf8(self):
        assert "not UTF-8" in error_of(read_criteria, io.BytesIO(b"criterion\xff"))

    def test_missing_file_and_directory(self, tmp_path):
        assert error_of(read_criteria, tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"
        assert "cannot read it" in error_of(read_criteria, tmp_path)

    @pytest.mark.parametrize("content", ["", "\n\n", " , ,\n", ",,,\n\n"])
    def test_empty_file(self, content):
        assert error_of(read_criteria, text(content)) == "criteria: the file is empty"

    def test_semicolon_and_tab_separated_files(self):
        for sep in (";", "\t"):
            content = CRITERIA_CSV.replace(",", sep)
            assert [c.name for c in read_criteria(text(content))] == ["Need", "Cost"]

    def test_headers_match_ignoring_case_and_spaces(self):
        content = " Criterion , WEIGHT,Direction ,Min,MAX, Descriptor 1\nNeed,1,benefit,1,5,low\n"
        (row,) = read_criterion_rows(text(content))
        assert row.criterion.name == "Need"
        assert row.descriptors == (ScaleDescriptor(1, "low"),)

    def test_row_numbers_count_blank_lines_like_a_spreadsheet(self):
        content = "criterion,weight,direction\n\nNeed,1,benefit\n\nCost,-2,cost\n"
        assert error_of(read_criteria, text(content)).startswith("criteria row 5:")

    def test_quoted_cells_with_commas_and_newlines(self):
        content = 'criterion,weight,direction,description\n"Need, local",1,benefit,"two\nlines"\n'
        (crit,) = read_criteria(text(content))
        assert crit.name == "Need, local"
        assert crit.description == "two\nlines"

    def test_short_rows_are_padded_and_long_rows_rejected(self):
        (crit,) = read_criteria(text("criterion,weight,direction,description\nNeed,1,benefit\n"))
        assert crit.description == ""
        assert error_of(read_criteria, text("criterion,weight,direction\nNeed,1,benefit,extra\n")) == (
            "criteria row 2: has 4 cells but the header has 3 columns"
        )
        # trailing empty cells (as spreadsheets export them) are harmless
        assert read_criteria(text("criterion,weight,direction,,\nNeed,1,benefit,,\n"))[0].name == "Need"

    def test_duplicate_header_column(self):
        assert error_of(read_criteria, text("criterion,weight,direction,Weight\n")) == (
            "criteria row 1: column 'Weight' appears twice"
        )


# --------------------------------------------------------------------------- criteria


class TestCriteria:
    def test_full_sheet(self):
        content = (
            "criterion,weight,direction,min,max,description,descriptor_1,descriptor_3,descriptor_2\n"
            "Need,25,benefit,1,5,How many,few,some,a few\n"
            "Cost,10,COST,0,10,Money,,,\n"
        )
        need, cost = read_criterion_rows(text(content))
        assert need.criterion == Criterion("Need", 25.0, Direction.BENEFIT, 1.0, 5.0, "How many")
        assert cost.criterion.direction is Direction.COST
        assert (cost.criterion.scale_min, cost.criterion.scale_max) == (0.0, 10.0)
        assert [d.score for d in need.descriptors] == [1, 2, 3]  # sorted by score, whatever the column order
        assert need.descriptors[1].text == "a few"
        assert cost.descriptors == ()

    def test_name_is_a_synonym_of_criterion(self):
        assert read_criteria(text("name,weight,direction\nNeed,1,benefit\n"))[0].name == "Need"
        assert error_of(read_criteria, text("criterion,name,weight,direction\n")) == (
            "criteria: has both 'criterion' and 'name' columns; keep one"
        )

    def test_without_min_and_max_the_observed_range_is_used(self):
        (crit,) = read_criteria(text("criterion,weight,direction\nNeed,1,benefit\n"))
        assert crit.scale_min is None and crit.scale_max is None
        (crit,) = read_criteria(text("criterion,weight,direction,min,max\nNeed,1,benefit,,\n"))
        assert not crit.has_scale

    def test_all_blank_weights_mean_equal_weights(self):
        criteria = read_criteria(text("criterion,weight,direction\nA,,benefit\nB,,cost\n"))
        assert [c.weight for c in criteria] == [1.0, 1.0]

    def test_some_blank_weights_are_an_error(self):
        message = error_of(read_criteria, text("criterion,weight,direction\nA,3,benefit\nB,,cost\n"))
        assert message.startswith("criteria row 3: weight is blank")

    @pytest.mark.parametrize("weight", ["abc", "-1", "1,5", "nan", "inf", "1e999", "--1"])
    def test_bad_weights(self, weight):
        message = error_of(read_criteria, text(f'criterion,weight,direction\nA,"{weight}",benefit\n'))
        assert message.startswith("criteria row 2: ")
        assert "weight" in message

    @pytest.mark.parametrize(
        ("row", "expected"),
        [
            (
                "A,1,upwards,1,5",
                "criteria row 2: direction for criterion 'A' must be 'benefit' or 'cost', not 'upwards'",
            ),
            ("A,1,benefit,1,", "criteria row 2: give both min and max, or leave both blank to use the observed range"),
            ("A,1,benefit,low,5", "criteria row 2: min must be a number, not 'low'"),
            ("A,1,benefit,5,1", "criteria row 2: criterion 'A': scale maximum must be above the minimum (got 5..1)"),
            (",1,benefit,1,5", "criteria row 2: criterion name is blank"),
        ],
    )
    def test_bad_rows(self, row, expected):
        assert error_of(read_criteria, text(f"criterion,weight,direction,min,max\n{row}\n")) == expected

    def test_only_one_of_min_and_max_columns(self):
        assert error_of(read_criteria, text("criterion,weight,direction,min\nA,1,benefit,1\n")) == (
            "criteria: give both 'min' and 'max' columns or neither"
        )

    def test_only_the_name_column_is_required(self):
        assert error_of(read_criteria, text("weight,direction\nA,1\n")) == (
            "criteria: the file needs a 'criterion' column (found: weight, direction)"
        )
        # no weight column: equal weights (as when all are blank); no direction or a blank one: benefit
        a, b = read_criteria(text("criterion,direction\nA,\nB,cost\n"))
        assert (a.weight, a.direction, b.weight, b.direction) == (1.0, Direction.BENEFIT, 1.0, Direction.COST)

    def test_header_only(self):
        assert error_of(read_criteria, text("criterion,weight,direction\n")) == (
            "criteria: the file has no criteria, only a header row; put one criterion per row under the "
            "'criterion' heading"
        )

    def test_a_default_scale_stands_in_for_missing_min_and_max(self):
        """The workshop passes its 1..5; the command line passes none (the observed range)."""
        content = "criterion,min,max,descriptor_5\nA,,,most\nB,0,10,\n"
        a, b = check_criteria(text(content), default_scale=(1, 5)).items
        assert (a.criterion.scale_min, a.criterion.scale_max, a.scale_given) == (1, 5, False)
        assert (b.criterion.scale_min, b.criterion.scale_max, b.scale_given) == (0, 10, True)
        assert error_of(read_criteria, text("criterion,min,max\nA,1,\n"), (1, 5)) == (
            "criteria row 2: give both min and max, or leave both blank to use the default scale 1..5"
        )

    def test_every_row_problem_is_listed(self):
        content = "criterion,weight\nA,x\nB,\n,1\na,2\nC,1\n"
        checked = check_criteria(text(content))
        assert [(p.row, p.message) for p in checked.problems] == [
            (2, "weight must be a non-negative number, not 'x'"),
            (3, "weight is blank; give every criterion a weight, or leave them all blank for equal weights"),
            (4, "criterion name is blank"),
            (5, "criterion 'a' appears again (first at row 2 as 'A')"),
        ]
        assert [c.criterion.name for c in checked.items] == ["C"] and checked.rows == (6,)

    def test_decimal_commas_where_the_delimiter_is_not_a_comma(self):
        (crit,) = read_criteria(text("criterion;weight;min;max\nA;0,5;0;2,5\n"))
        assert (crit.weight, crit.scale_min, crit.scale_max) == (0.5, 0.0, 2.5)
        assert "weight" in error_of(read_criteria, text('criterion,weight\nA,"0,5"\n'))

    def test_duplicate_criterion(self):
        content = "criterion,weight,direction\nA,1,benefit\nB,1,benefit\nA,2,cost\n"
        assert error_of(read_criteria, text(content)) == "criteria row 4: criterion 'A' appears again (first at row 2)"

    def test_descriptor_outside_the_scale(self):
        content = "criterion,weight,direction,min,max,descriptor_6\nA,1,benefit,1,5,too high\n"
        assert error_of(read_criteria, text(content)) == (
            "criteria row 2: descriptor_6 describes a score of 6, outside the scale 1..5"
        )
        # a blank descriptor outside the scale is fine; so is any descriptor without a scale
        assert read_criteria(text("criterion,weight,direction,min,max,descriptor_6\nA,1,benefit,1,5,\n"))
        (row,) = read_criterion_rows(text("criterion,weight,direction,descriptor_0\nA,1,benefit,zero\n"))
        assert row.descriptors == (ScaleDescriptor(0, "zero"),)


# --------------------------------------------------------------------------- priorities and groups


class TestPriorities:
    def test_names_that_pandas_would_read_as_missing_stay_names(self):
        content = "priority,theme\nNA,Be healthy\nNone,Stay safe\nnull,\nN/A,\n"
        names = [p.name for p in read_priorities(text(content))]
        assert names == ["NA", "None", "null", "N/A"]

    def test_sheet_with_evidence(self):
        content = "name,theme,description,evidence\nObesity,Be healthy,Reduce it,NI 56\nVoice,,,\n"
        obesity, voice = read_priority_rows(text(content))
        assert obesity.priority.theme == "Be healthy"
        assert obesity.priority.description == "Reduce it"
        assert (obesity.evidence, voice.evidence) == ("NI 56", "")

    def test_evidence_optional(self):
        assert read_priority_rows(text("priority\nA\n"))[0].evidence == ""

    def test_errors(self):
        assert error_of(read_priorities, text("theme\nX\n")) == (
            "priorities: the file needs a 'priority' column (found: theme)"
        )
        assert error_of(read_priorities, text("priority\n")).startswith("priorities: the file has no priorities, ")
        assert error_of(read_priorities, text("priority,theme\nA,x\n,y\n")) == (
            "priorities row 3: priority name is blank"
        )
        assert error_of(read_priorities, text("priority\nA\nA\n")) == (
            "priorities row 3: priority 'A' appears again (first at row 2)"
        )


class TestGroups:
    def test_groups(self):
        content = "group,description\nHealth (NHS),Trusts\nSchools,\n"
        assert read_groups(text(content)) == (StakeholderGroup("Health (NHS)", "Trusts"), StakeholderGroup("Schools"))

    def test_errors(self):
        assert error_of(read_groups, text("group\nA\nA\n")) == "groups row 3: group 'A' appears again (first at row 2)"
        assert error_of(read_groups, text("group\n")).startswith("groups: the file has no groups, only a header row")
        assert error_of(read_groups, text("group\nNHS\nnhs\n")) == (
            "groups row 3: group 'nhs' appears again (first at row 2 as 'NHS')"
        )


# --------------------------------------------------------------------------- scores


class TestWideScores:
    def test_one_matrix(self):
        content = "priority,theme,Need,Cost\nObesity,Be healthy,4,2\nCAMHS,Be healthy,5,\nNA,,1,5\n"
        score_set = read_scores(text(content), CRITERIA)
        assert score_set.scores.shape == (1, 3, 2)
        assert score_set.priority_names == ("Obesity", "CAMHS", "NA")
        assert score_set.priorities[0].theme == "Be healthy"
        np.testing.assert_array_equal(score_set.scores[0], [[4, 2], [5, np.nan], [1, 5]])

    def test_criterion_columns_in_any_order_and_case(self):
        score_set = read_scores(text("priority,cost,NEED\nA,2,3\n"), CRITERIA)
        np.testing.assert_array_equal(score_set.scores[0], [[3, 2]])
        assert score_set.criterion_names == ("Need", "Cost")

    def test_decimals_are_fine(self):
        assert read_scores(text("priority,Need,Cost\nA,2.5,1e0\n"), CRITERIA).scores[0, 0, 0] == 2.5

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            ("priority,Need,Cost,Risk\nA,1,1,1\n", "scores row 1: unknown criterion 'Risk'"),
            ("priority,Need\nA,1\n", "scores: missing column for criterion 'Cost'"),
            ("Need,Cost\n1,1\n", "scores: the file needs a 'priority' column (found: Need, Cost)"),
            (
                "priority,Need,Cost\nA,high,1\n",
                "scores row 2: score for criterion 'Need' must be a number or blank, not 'high'",
            ),
            (
                "priority,Need,Cost\nA,1,1\nB,6,1\n",
                "scores row 3: score 6 for criterion 'Need' is outside the scale 1..5",
            ),
            ("priority,Need,Cost\nA,1,1\nA,2,2\n", "scores row 3: priority 'A' appears again (first at row 2)"),
            ("priority,Need,Cost\n", "scores: has no scores, only a header row"),
            ("priority,Need,Cost,need\nA,1,1,1\n", "scores row 1: column 'need' appears twice"),
            ("priority,Need,Cost\n,1,1\n", "scores row 2: priority name is blank"),
        ],
    )
    def test_errors(self, content, expected):
        assert error_of(read_scores, text(content), CRITERIA) == expected

    def test_observed_range_criteria_take_any_number(self):
        criteria = (Criterion("Need", scale_min=None, scale_max=None),)
        assert read_scores(text("priority,Need\nA,-40\nB,1000\n"), criteria).scores.shape == (1, 2, 1)


LONG = """participant,group,priority,criterion,score
P1,Health,Obesity,Need,4
P1,Health,Obesity,Cost,
P1,Health,CAMHS,Need,5
P2,Police,Obesity,Need,2
P2,Police,Obesity,Cost,3
P3,,CAMHS,Cost,1
"""


class TestLongScores:
    def test_a_room(self):
        score_set = read_scores(text(LONG), CRITERIA)
        assert score_set.participants == ("P1", "P2", "P3")
        assert score_set.groups == ("Health", "Police", "")
        assert score_set.priority_names == ("Obesity", "CAMHS")
        expected = np.full((3, 2, 2), np.nan)
        expected[0, 0, 0], expected[0, 1, 0] = 4, 5
        expected[1, 0] = [2, 3]
        expected[2, 1, 1] = 1
        np.testing.assert_array_equal(score_set.scores, expected)

    def test_group_and_theme_optional_and_may_be_given_once(self):
        content = "participant,priority,theme,criterion,score\nA,X,,Need,1\nA,X,Be healthy,Cost,1\nB,X,,Need,2\n"
        score_set = read_scores(text(content), CRITERIA)
        assert score_set.groups == ("", "")
        assert score_set.priorities[0].theme == "Be healthy"

    def test_criterion_names_match_ignoring_case(self):
        score_set = read_scores(text("participant,priority,criterion,score\nA,X,need,3\n"), CRITERIA)
        assert score_set.scores[0, 0, 0] == 3

    @pytest.mark.parametrize(
        ("extra", "expected"),
        [
            ("P9,Health,Obesity,Risk,3", "scores row 8: unknown criterion 'Risk'"),
            (
                "P9,Health,Obesity,Need,lots",
                "scores row 8: score for criterion 'Need' must be a number or blank, not 'lots'",
            ),
            ("P9,Health,Obesity,Cost,0", "scores row 8: score 0 for criterion 'Cost' is outside the scale 1..5"),
            (
                "P1,Health,Obesity,Need,3",
                "scores row 8: participant 'P1' scored priority 'Obesity' on criterion 'Need' again (first at row 2)",
            ),
            (
                "P1,Police,CAMHS,Cost,3",
                "scores row 8: participant 'P1' is in group 'Police' here but 'Health' at row 2",
            ),
            (",Health,Obesity,Need,3", "scores row 8: participant is blank"),
            ("P9,Health,,Need,3", "scores row 8: priority name is blank"),
            ("P9,Health,Obesity,,3", "scores row 8: criterion is blank"),
        ],
    )
    def test_errors(self, extra, expected):
        assert error_of(read_scores, text(LONG + extra + "\n"), CRITERIA) == expected

    def test_theme_conflict(self):
        content = "participant,priority,theme,criterion,score\nA,X,T1,Need,1\nB,X,T2,Need,1\n"
        assert error_of(read_scores, text(content), CRITERIA) == (
            "scores row 3: priority 'X' has theme 'T2' here but 'T1' at row 2"
        )

    @pytest.mark.parametrize(
        "header", ["participant,priority,score", "participant,priority,criterion", "priority,criterion,score"]
    )
    def test_missing_long_columns_are_reported_as_such(self, header):
        message = error_of(read_scores, text(header + "\n"), CRITERIA)
        assert message.startswith("scores: the file needs a ")

    def test_header_only(self):
        header_only = text("participant,priority,criterion,score\n")
        assert error_of(read_scores, header_only, CRITERIA) == "scores: has no scores, only a header row"

    def test_needs_criteria(self):
        assert "no criteria" in error_of(read_scores, text(LONG), ())


# --------------------------------------------------------------------------- pairwise


class TestPairwise:
    def test_fractions_and_row_order(self):
        content = "criterion,A,B,C\nC,1/5,0.5,1\nA,1,3,5\nB,1 / 3,1,2\n"
        names, matrix = read_pairwise(text(content))
        assert names == ("A", "B", "C")
        np.testing.assert_allclose(matrix, [[1, 3, 5], [1 / 3, 1, 2], [0.2, 0.5, 1]])

    def test_blank_corner_cell(self):
        names, _ = read_pairwise(text(",A,B\nA,1,2\nB,1/2,1\n"))
        assert names == ("A", "B")

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (",A,B\nA,1,2\n", "pairwise: no row for criterion 'B'"),
            (",A,B\nA,1,2\nC,1,1\n", "pairwise row 3: criterion 'C' is not in the header row"),
            (",A,B\nA,1,2\nA,1,2\n", "pairwise row 3: criterion 'A' appears again (first at row 2)"),
            (",A,B\nA,1,\nB,1/2,1\n", "pairwise row 2: judgement against 'B' is blank"),
            (
                ",A,B\nA,1,two\nB,1/2,1\n",
                "pairwise row 2: judgement against 'B' must be a number or a fraction such as 1/3, not 'two'",
            ),
            (",A,B\nA,1,2/0\nB,1/2,1\n", "pairwise row 2: judgement against 'B' divides by zero: '2/0'"),
            ("corner\n", "pairwise: the header needs a corner cell then one column per criterion"),
            (",A,A\n", "pairwise row 1: column 'A' appears twice"),
            (",A,,B\n", "pairwise row 1: column 3 has no criterion name"),
        ],
    )
    def test_errors(self, content, expected):
        assert error_of(read_pairwise, text(content)) == expected


# --------------------------------------------------------------------------- allocations


class TestAllocations:
    def test_long(self):
        content = "participant,group,criterion,points\nP1,H,Need,70\nP1,H,Cost,30\nP2,S,Cost,100\nP3,S,Need,\n"
        np.testing.assert_array_equal(read_allocations(text(content), CRITERIA), [[70, 30], [0, 100], [0, 0]])

    def test_wide(self):
        content = "participant,group,cost,Need\nP1,H,30,70\nP2,H,,100\n"
        np.testing.assert_array_equal(read_allocations(text(content), CRITERIA), [[70, 30], [100, 0]])

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (
                "participant,criterion,points\nP1,Need,-5\n",
                "allocations row 2: points for criterion 'Need' must be a non-negative number, not '-5'",
            ),
            ("participant,criterion,points\nP1,Risk,5\n", "allocations row 2: unknown criterion 'Risk'"),
            (
                "participant,criterion,points\nP1,Need,5\nP1,Need,5\n",
                "allocations row 3: participant 'P1' allocated points to criterion 'Need' again (first at row 2)",
            ),
            (
                "participant,criterion\nP1,Need\n",
                "allocations: the file needs a 'points' column (found: participant, criterion)",
            ),
            ("participant,Need,Risk\nP1,5,5\n", "allocations row 1: unknown criterion 'Risk'"),
            ("participant,Need\nP1,5\nP1,5\n", "allocations row 3: participant 'P1' appears again"),
            ("participant,Need\n", "allocations: has no allocations, only a header row"),
            ("Need,Cost\n5,5\n", "allocations: the file needs a 'participant' column (found: Need, Cost)"),
        ],
    )
    def test_errors(self, content, expected):
        assert error_of(read_allocations, text(content), CRITERIA) == expected


# --------------------------------------------------------------------------- fuzz

CSV_ALPHABET = string.ascii_letters[:6] + string.digits[:6] + ',;\t"\n\r .-/_\ufeff\xe9'
HEADER_WORDS = [
    "criterion", "name", "weight", "direction", "min", "max", "description", "descriptor_1", "descriptor_9",
    "priority", "theme", "participant", "group", "score", "points", "Need", "Cost", "",
]
CELL_WORDS = [
    "", "1", "5", "3.5", "-1", "0", "abc", "benefit", "cost", "NA", "1/3", "1e999", "nan", "A", "Need", "Cost",
]


structured_csv = st.builds(
    lambda header, rows: "\n".join([",".join(header), *(",".join(r) for r in rows)]),
    st.lists(st.sampled_from(HEADER_WORDS), min_size=1, max_size=7),
    st.lists(st.lists(st.sampled_from(CELL_WORDS), max_size=8), max_size=6),
)
any_text = st.one_of(st.text(alphabet=CSV_ALPHABET, max_size=200), st.text(max_size=80), structured_csv)
fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_input_error(call, *args) -> None:
    try:
        call(*args)
    except RankingInputError as exc:
        assert str(exc)


@fuzz
@given(any_text)
def test_fuzz_read_criteria(content):
    parses_or_input_error(read_criterion_rows, text(content))


@fuzz
@given(any_text)
def test_fuzz_read_scores(content):
    parses_or_input_error(read_scores, text(content), CRITERIA)


@fuzz
@given(any_text)
def test_fuzz_read_pairwise_priorities_groups_allocations(content):
    parses_or_input_error(read_pairwise, text(content))
    parses_or_input_error(read_priority_rows, text(content))
    parses_or_input_error(read_groups, text(content))
    parses_or_input_error(read_allocations, text(content), CRITERIA)


@fuzz
@given(st.binary(max_size=120))
def test_fuzz_bytes(content):
    parses_or_input_error(read_criteria, content)
    parses_or_input_error(read_scores, content, CRITERIA)


@fuzz
@given(structured_csv)
def test_fuzz_criteria_then_scores(content):
    """Whatever criteria a file yields, scores can be read against them."""
    try:
        criteria = read_criteria(text(content))
    except RankingInputError:
        return
    parses_or_input_error(read_scores, text(content), criteria)
