"""Setup page: edits reach the store, bad rows are named and change nothing,
weights by rank order and AHP, the lock after a round opens, and the
good-practice checks."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ranking.setup_checks import CorrelatedPair, correlated_criteria, too_many_criteria
from ranking.weights import rank_order_centroid
from tests.app.conftest import Made, error_texts, facilitator_app
from ui import state
from ui.setup_weights import pairwise_matrix
from workshop.models import RoundKind, WeightMethod
from workshop.service import WorkshopService

SETUP = "app_pages/setup.py"


def editor_key(at: AppTest, prefix: str) -> str:
    (key,) = [e.key for e in at.data_editor if e.key and e.key.startswith(prefix)]
    return key


def edit(at: AppTest, prefix: str, edited=None, added=None, deleted=None) -> None:
    """Make the edits a person would make in a data editor, then run."""
    at.session_state[editor_key(at, prefix)] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    at.run()


def texts(at: AppTest) -> str:
    kinds = ("markdown", "error", "warning", "info", "caption")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.fixture
def at(sample: Made) -> AppTest:
    page = facilitator_app(sample, SETUP)
    assert not page.exception
    return page


def test_details_are_saved(at: AppTest, sample: Made, svc: WorkshopService):
    at.text_input(key=state.SETUP_TITLE).set_value("Board away day")
    at.text_input(key=state.SETUP_ORGANISATION).set_value("Anytown Children's Trust")
    at.button(key=state.SETUP_SAVE_DETAILS).click().run()
    assert not at.exception
    saved = svc.workshop(sample.code)
    assert (saved.title, saved.organisation) == ("Board away day", "Anytown Children's Trust")


def test_priority_edits_are_saved(at: AppTest, sample: Made, svc: WorkshopService):
    before = sample.workshop.priorities
    edit(
        at,
        state.SETUP_PRIORITIES_EDITOR_,
        edited={0: {"name": "Health and wellbeing"}},
        added=[{"name": "Oral health of young children", "theme": "Be healthy"}],
        deleted=[1],
    )
    at.button(key=state.SETUP_SAVE_PRIORITIES).click().run()
    assert not at.exception
    names = [p.name for p in svc.workshop(sample.code).priorities]
    assert names[0] == "Health and wellbeing"
    assert before[1].name not in names
    assert names[-1] == "Oral health of young children"
    assert len(names) == len(before)
    # the round covering every priority still does
    scoring = next(r for r in svc.workshop(sample.code).rounds if r.kind is RoundKind.SCORING)
    assert len(scoring.priority_ids) == len(names)


def test_bad_rows_are_named_and_nothing_is_saved(at: AppTest, sample: Made, svc: WorkshopService):
    version = svc.version(sample.workshop.id)
    n = len(sample.workshop.priorities)
    edit(
        at,
        state.SETUP_PRIORITIES_EDITOR_,
        edited={2: {"name": sample.workshop.priorities[0].name}},
        added=[{"theme": "Stay safe", "description": "No name given"}],
    )
    at.button(key=state.SETUP_SAVE_PRIORITIES).click().run()
    assert not at.exception
    assert f"Row {n + 1}: A priority has no name." in texts(at)
    assert svc.version(sample.workshop.id) == version

    edit(at, state.SETUP_PRIORITIES_EDITOR_, edited={2: {"name": sample.workshop.priorities[0].name}})
    at.button(key=state.SETUP_SAVE_PRIORITIES).click().run()
    assert "appears more than once" in texts(at)
    assert svc.version(sample.workshop.id) == version
    assert svc.workshop(sample.code).priorities == sample.workshop.priorities


def test_criteria_and_groups_edits_are_saved(at: AppTest, sample: Made, svc: WorkshopService):
    first = sample.workshop.criteria[0]
    edit(
        at,
        state.SETUP_CRITERIA_EDITOR_,
        edited={0: {"direction": "cost"}},
        added=[{"name": "Feasibility", "direction": "benefit", "min": 0, "max": 4}],
    )
    at.button(key=state.SETUP_SAVE_CRITERIA).click().run()
    assert not at.exception
    criteria = svc.workshop(sample.code).criteria
    assert criteria[0].direction.value == "cost"
    assert criteria[0].descriptors == first.descriptors  # same scale: descriptors kept
    assert (criteria[-1].name, criteria[-1].scale_min, criteria[-1].scale_max) == ("Feasibility", 0, 4)

    edit(at, state.SETUP_GROUPS_EDITOR_, added=[{"name": "Young people's council"}])
    at.button(key=state.SETUP_SAVE_GROUPS).click().run()
    assert not at.exception
    assert svc.workshop(sample.code).groups[-1].name == "Young people's council"


def test_descriptors_are_saved(at: AppTest, sample: Made, svc: WorkshopService):
    criterion = sample.workshop.criteria[1]
    (box,) = [t for t in at.text_input if t.key and t.key.endswith(f"_{criterion.id}_3")]
    box.set_value("Significant, lasting effect on one outcome")
    at.button(key=state.SETUP_SAVE_DESCRIPTORS).click().run()
    assert not at.exception
    assert svc.workshop(sample.code).criteria[1].descriptors[2] == "Significant, lasting effect on one outcome"


def test_rank_order_weights_are_saved_with_their_method(at: AppTest, sample: Made, svc: WorkshopService):
    at.radio(key=state.SETUP_WEIGHT_METHOD).set_value(WeightMethod.RANK_ORDER).run()
    ranks = [3, 1, 2, 5, 4]
    for criterion, rank in zip(sample.workshop.criteria, ranks, strict=True):
        (box,) = [s for s in at.selectbox if s.key and s.key.endswith(f"_{criterion.id}")]
        box.set_value(rank)
    at.run()
    at.button(key=state.SETUP_SAVE_WEIGHTS).click().run()
    assert not at.exception
    saved = svc.workshop(sample.code)
    assert saved.weight_method is WeightMethod.RANK_ORDER
    weights = np.array([c.weight for c in saved.criteria])
    np.testing.assert_allclose(weights / weights.sum(), rank_order_centroid(ranks))


def _swing_controls(at: AppTest) -> tuple[list, list]:
    order = sorted(
        (b for b in at.selectbox if b.key and b.key.startswith(state.SETUP_SWING_ORDER_)), key=lambda b: b.key
    )
    swings = sorted((n for n in at.number_input if n.key and n.key.startswith(state.SETUP_SWING_)), key=lambda n: n.key)
    return order, swings


def test_swing_weights_are_the_normalised_swings_saved_with_them(at: AppTest, sample: Made, svc: WorkshopService):
    at.radio(key=state.SETUP_WEIGHT_METHOD).set_value(WeightMethod.SWING).run()
    names = [c.name for c in sample.workshop.criteria]
    chosen = [(names[2], 100), (names[0], 80), (names[1], 50), (names[3], 50), (names[4], 0)]
    order, swings = _swing_controls(at)
    assert swings[0].value == 100 and swings[0].disabled
    for box, number, (name, swing) in zip(order, swings, chosen, strict=True):
        box.set_value(name)
        if not number.disabled:
            number.set_value(float(swing))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key=state.SETUP_SAVE_WEIGHTS).click().run()
    assert not at.exception
    saved = svc.workshop_by_id(sample.workshop.id, sample.key)
    assert saved.weight_method is WeightMethod.SWING
    total = sum(s for _, s in chosen)
    expected = {name: swing / total for name, swing in chosen}
    for c in saved.criteria:
        assert c.weight == pytest.approx(expected[c.name]) and c.swing == dict(chosen)[c.name]
    assert any("Swings as given (first = 100)" in c.value for c in at.caption)


def test_swings_out_of_order_or_a_criterion_twice_are_refused_on_screen(at: AppTest, sample: Made):
    at.radio(key=state.SETUP_WEIGHT_METHOD).set_value(WeightMethod.SWING).run()
    order, swings = _swing_controls(at)
    swings[1].set_value(20.0)
    swings[2].set_value(60.0)
    at.run()
    assert any("is listed after" in e and "given a larger swing" in e for e in error_texts(at))
    order, _ = _swing_controls(at)
    order[1].set_value(order[0].value)
    at.run()
    assert any("List each criterion once" in e for e in error_texts(at))
    assert not [b for b in at.button if b.key == state.SETUP_SAVE_WEIGHTS]


def test_inconsistent_pairwise_judgements_show_the_consistency_warning(at: AppTest, sample: Made):
    at.radio(key=state.SETUP_WEIGHT_METHOD).set_value(WeightMethod.PAIRWISE).run()
    assert not any("consistency ratio" in w.value for w in at.warning)  # all "equally important" so far
    a, b, c = (x.id for x in sample.workshop.criteria[:3])
    pair = {s.key: s for s in at.select_slider}
    # A ≫ B, B ≫ C, but C ≫ A: a cycle no set of weights can honour.
    pair[f"{state.SETUP_PAIR_}{_tag(at)}_{a}_{b}"].set_value(8)
    pair[f"{state.SETUP_PAIR_}{_tag(at)}_{b}_{c}"].set_value(8)
    pair[f"{state.SETUP_PAIR_}{_tag(at)}_{a}_{c}"].set_value(-8)
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("consistency ratio" in w and "above 0.10" in w for w in warnings)


def _tag(at: AppTest) -> str:
    """The content tag in the pairwise sliders' keys."""
    key = next(s.key for s in at.select_slider if s.key and s.key.startswith(state.SETUP_PAIR_))
    return key.removeprefix(state.SETUP_PAIR_).split("_")[0]


def test_setup_is_read_only_once_a_round_has_opened(sample: Made, svc: WorkshopService):
    rid = next(r.id for r in sample.workshop.rounds if r.kind is RoundKind.SCORING)
    svc.open_round(sample.key, rid)
    at = facilitator_app(sample, SETUP)
    assert not at.exception
    assert "The setup is locked" in texts(at)
    assert at.data_editor  # the tables are still shown ...
    assert all(e.editing_mode == "fixed" for e in at.data_editor)  # ... without adding or deleting rows
    keys = {b.key for b in at.button}
    for save in (
        state.SETUP_SAVE_PRIORITIES,
        state.SETUP_SAVE_CRITERIA,
        state.SETUP_SAVE_GROUPS,
        state.SETUP_SAVE_WEIGHTS,
    ):
        assert save not in keys
    assert at.button(key=state.SETUP_SAVE_DESCRIPTORS).disabled
    # details stay editable
    at.text_input(key=state.SETUP_TITLE).set_value("Renamed while live")
    at.button(key=state.SETUP_SAVE_DETAILS).click().run()
    assert svc.workshop(sample.code).title == "Renamed while live"


def test_import_with_errors_lists_rows_and_changes_nothing(at: AppTest, sample: Made, svc: WorkshopService):
    version = svc.version(sample.workshop.id)
    bad = b"criterion,weight,min,max\nScale,2,1,5\nSeverity,heavy,1,5\nTrend,1,5,1\n"
    at.file_uploader(key=state.SETUP_IMPORT_CRITERIA).set_value(("criteria.csv", bad, "text/csv"))
    at.run()
    at.button(key=state.SETUP_IMPORT).click().run()
    assert not at.exception
    errors = "\n".join(error_texts(at))
    assert "Row 3: weight must be a non-negative number, not 'heavy'." in errors
    assert "Row 4:" in errors
    assert svc.version(sample.workshop.id) == version


def test_an_import_without_min_and_max_says_which_scale_it_assumed(at: AppTest, sample: Made, svc: WorkshopService):
    data = b"criterion\nNeed\nReach\n"
    at.file_uploader(key=state.SETUP_IMPORT_CRITERIA).set_value(("criteria.csv", data, "text/csv"))
    at.run()
    at.button(key=state.SETUP_IMPORT).click().run()
    assert not at.exception
    assert [(c.name, c.scale_min, c.scale_max) for c in svc.workshop(sample.code).criteria] == [
        ("Need", 1, 5),
        ("Reach", 1, 5),
    ]
    assert any("Need and Reach, so they are scored on the default scale 1..5" in t.value for t in at.toast)


def test_correlated_criteria_warning_after_a_scoring_round(sample: Made, svc: WorkshopService):
    rid = next(r.id for r in sample.workshop.rounds if r.kind is RoundKind.SCORING)
    svc.open_round(sample.key, rid)
    token = svc.join(sample.code, None, sample.workshop.groups[0].name).token
    first, second, *others = sample.workshop.criteria
    for n, p in enumerate(sample.workshop.priorities):
        level = 1 + n % 5
        svc.save_score(token, rid, p.id, first.id, level)
        svc.save_score(token, rid, p.id, second.id, level)  # moves exactly with the first
        for k, c in enumerate(others):
            svc.save_score(token, rid, p.id, c.id, 1 + (n * (k + 2)) % 5)
    at = facilitator_app(sample, SETUP)
    assert not at.exception
    warning = next(w.value for w in at.warning if "double counting" in w.value)
    assert f"'{first.name}' and '{second.name}' (r = +1.00)" in warning


# --------------------------------------------------------------------------- pure checks


def test_correlated_criteria_finds_strong_pairs_either_sign():
    rng = np.random.default_rng(7)
    base = rng.normal(size=12)
    matrix = np.column_stack([base, base * 2 + 1, -base, rng.normal(size=12), np.full(12, 3.0)])
    pairs = correlated_criteria(matrix, ["A", "B", "C", "D", "E"])
    assert {(p.first, p.second) for p in pairs} == {("A", "B"), ("A", "C"), ("B", "C")}
    assert all(abs(abs(p.r) - 1) < 1e-9 for p in pairs)
    assert str(CorrelatedPair("A", "C", -1.0)) == "'A' and 'C' (r = -1.00)"


def test_correlated_criteria_ignores_weak_constant_and_tiny_inputs():
    x = np.array([1.0, 2, 3, 4, 5, 6])
    weak = np.array([2.0, 1, 4, 3, 6, 5])  # r ≈ 0.83 -> reported at 0.8, not at 0.9
    assert correlated_criteria(np.column_stack([x, weak]), ["x", "w"])
    assert not correlated_criteria(np.column_stack([x, weak]), ["x", "w"], threshold=0.9)
    assert not correlated_criteria(np.column_stack([x, np.ones(6)]), ["x", "flat"])
    assert not correlated_criteria(np.column_stack([x[:3], x[:3]]), ["x", "y"])  # three priorities
    with_gap = np.column_stack([x, x]).copy()
    with_gap[0, 1] = np.nan
    assert correlated_criteria(with_gap, ["x", "y"])[0].r == pytest.approx(1.0)


def test_too_many_criteria():
    assert too_many_criteria(7) is None
    assert "8 criteria" in too_many_criteria(8)


def test_pairwise_matrix_is_reciprocal():
    m = pairwise_matrix(3, {(0, 1): 2, (0, 2): -4, (1, 2): 0})
    np.testing.assert_allclose(m, [[1, 3, 1 / 5], [1 / 3, 1, 1], [5, 1, 1]])
