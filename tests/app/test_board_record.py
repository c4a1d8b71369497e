"""The record the board receives is the record the room saw: a figure read
off a page equals the same figure in the exports (the chance of a top-k
place under SMAA and the bootstrap, Kendall's W in words), and the Live and
Agree pages suggest the same follow-up round."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import numpy as np
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ranking.robustness import RobustnessOptions
from ranking.sensitivity import WeightSampling
from tests.app.conftest import Answered, facilitator_app, fill_room
from tests.app.test_results import results_app, text
from ui import analysis, state
from ui.analysis import Target
from ui.services import service
from workshop.exports import ExportFormat, render
from workshop.exports.tables import PCT, display
from workshop.service import WorkshopService

TOP = 5  # the sample workshop's places


class Tables(HTMLParser):
    """Every table of an HTML file, as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def chart_values(at: AppTest, key: str) -> dict[str, float]:
    """The bars of a chart drawn on the page: priority → its value (the bar's length)."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    bars = json.loads(chart.proto.spec)["data"][0]
    return {row[0]: float(x) for row, x in zip(bars["customdata"], bars["x"], strict=True)}


def html_robustness(answered: Answered) -> dict[str, tuple[str, str]]:
    """The board paper's robustness table: priority → (in the top k: other weights, other rooms)."""
    data = render(service(), answered.made.key, answered.made.workshop.id, ExportFormat.HTML).data
    parser = Tables()
    parser.feed(data.decode("utf-8"))
    table = next(t for t in parser.tables if t and t[0][2:3] == [f"In top {TOP}: other weights"])
    return {row[1]: (row[2], row[4]) for row in table[1:]}


def xlsx_robustness(answered: Answered) -> dict[str, tuple[float, float]]:
    """The workbook's Sensitivity sheet: priority → (P(top k) under SMAA, under the bootstrap)."""
    data = render(service(), answered.made.key, answered.made.workshop.id, ExportFormat.XLSX).data
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Sensitivity"]
    header = [c.value for c in sheet[1]]
    smaa = next(i for i, h in enumerate(header) if h.startswith(f"P(top {TOP}), SMAA"))
    boot = next(i for i, h in enumerate(header) if h.startswith(f"P(top {TOP}), bootstrap"))
    return {row[1]: (row[smaa], row[boot]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def assert_screen_is_the_paper(answered: Answered) -> None:
    at = results_app(answered, "Sensitivity")
    smaa, boot = chart_values(at, "results-smaa-top"), chart_values(at, "results-bootstrap")
    paper, book = html_robustness(answered), xlsx_robustness(answered)
    # The priorities whose place is in doubt (a figure of 0 or 1 would match by luck).
    doubtful = [n for n in paper if 0 < smaa[n] < 1 and 0 < boot[n] < 1]
    assert doubtful
    for name in doubtful:
        # A workbook keeps 15 to 16 significant digits (0.23933333333333334 comes back as 0.2393333333333333).
        assert book[name] == pytest.approx((smaa[name], boot[name]), rel=1e-14, abs=0), name
        assert paper[name] == (display(smaa[name], PCT), display(boot[name], PCT)), name


def test_the_chance_of_a_top_place_on_screen_is_the_one_in_the_exports(answered: Answered):
    assert_screen_is_the_paper(answered)


def test_settings_chosen_on_the_page_are_stored_and_the_exports_follow(answered: Answered):
    """Fails if the exports sampled with a seed (or anything) of their own."""
    made = answered.made
    at = results_app(answered, "Sensitivity")
    at.radio(key=state.RESULTS_SMAA_SAMPLING).set_value(WeightSampling.PARTICIPANTS)
    at.number_input(key=state.RESULTS_SMAA_SEED).set_value(42)
    at.number_input(key=state.RESULTS_SMAA_SAMPLES).set_value(3_000)
    next(b for b in at.button if b.label == "Sample again").click().run()
    at.number_input(key=state.RESULTS_BOOT_SEED).set_value(17)
    next(b for b in at.button if b.label == "Resample again").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    stored = service().workshop_by_id(made.workshop.id).robustness
    assert stored == RobustnessOptions(WeightSampling.PARTICIPANTS, 3_000, 42, bootstrap_seed=17)
    assert "3,000 samples, participants' own weights, seed 42" in text(at)
    assert "1,000 resamples, seed 17." in text(at)
    actions = [e.action for e in service().audit_log(made.key, made.workshop.id)]
    assert actions[-2:] == ["robustness settings set"] * 2
    assert_screen_is_the_paper(answered)


def test_the_controls_show_the_stored_settings(answered: Answered):
    made = answered.made
    chosen = RobustnessOptions(WeightSampling.UNIFORM, 500, 3, 80.0, 200, 4)
    service().set_robustness_options(made.key, made.workshop.id, chosen)
    at = results_app(answered, "Sensitivity")
    assert at.radio(key=state.RESULTS_SMAA_SAMPLING).value is WeightSampling.UNIFORM
    shown = [at.number_input(key=k).value for k in (state.RESULTS_SMAA_SAMPLES, state.RESULTS_SMAA_SEED)]
    assert shown == [500, 3]
    assert at.number_input(key=state.RESULTS_SMAA_CONCENTRATION).value == 80.0
    assert [at.number_input(key=k).value for k in (state.RESULTS_BOOT_RESAMPLES, state.RESULTS_BOOT_SEED)] == [200, 4]
    assert "500 samples, any weights at all (uniform), seed 3" in text(at)


def test_kendalls_w_reads_the_same_on_the_page_and_in_the_board_paper(answered: Answered):
    at = results_app(answered, "Disagreement")
    reading = next(m.value for m in at.markdown if m.value.startswith("**") and "agreement" in m.value)
    words = reading.split("**")[1].rstrip(".")  # "**Moderate agreement: …**  W compares…"
    paper = render(service(), answered.made.key, answered.made.workshop.id, ExportFormat.HTML).data.decode()
    assert f"W = {at.metric[0].value}: {words[0].lower() + words[1:]}" in paper


def test_the_live_and_agree_pages_suggest_the_same_followup_round(svc: WorkshopService):
    """A shortlist of 12 places: both pages suggest 24 (twice the places), the same priorities."""
    answered = fill_room(svc, shortlist_size=12)
    made = answered.made
    names = {p.id: p.name for p in made.workshop.priorities}
    live = facilitator_app(made, "app_pages/live.py")
    assert not live.exception
    on_live = [
        names[i] for i in live.multiselect(key=f"{state.LIVE_FOLLOWUP_PRIORITIES_}{answered.scoring_round}").value
    ]
    agree = facilitator_app(made, "app_pages/agree.py")
    assert not agree.exception
    size = agree.number_input(key=f"{state.AGREE_SIZE_}{answered.scoring_round}").value
    on_agree = agree.multiselect(key=f"{state.AGREE_FOLLOWUP_}{answered.scoring_round}-{size}").value
    assert size == 24
    assert on_live == on_agree and len(on_live) >= 24
    assert any(c.value.startswith("Suggested: the top 24 of") for c in live.caption)


def test_the_cached_analyses_key_on_the_settings(answered: Answered):
    """Other settings on the same round and change counter miss the cache."""
    made = answered.made
    target = Target(made.key, answered.scoring_round, made.workshop.version, made.workshop.ranking)
    one, two = RobustnessOptions(samples=500, seed=1, resamples=100), RobustnessOptions(samples=500, seed=2)
    first, second = (analysis.stochastic(target, TOP, o, answered.weighting_round) for o in (one, two))
    assert (first.seed, second.seed) == (1, 2) and not np.array_equal(first.p_top, second.p_top)
    assert analysis.stochastic(target, TOP, one, answered.weighting_round) is first  # the same settings: a hit
    assert analysis.resampled(target, TOP, one).resamples == 100
    assert analysis.resampled(target, TOP, two).resamples == 1_000
