"""``python -m workshop demo --with-plan``: the decision on Bromley's five, their indicators and four quarters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workshop.test_cli import Run, cli, url, value  # noqa: F401  (fixtures)
from workshop.demo_plan import AGREED, QUARTERS, create_plan_demo
from workshop.models import LEAD_PATH, LEAD_TOKEN_PARAMETER, ActualSpec
from workshop.progress import plan_status
from workshop.service import WorkshopService
from workshop.store import Store

BROMLEY = [
    "Attainment and achievement for all",
    "Health and wellbeing of children, young people and families",
    "Keeping children safe",
    "Promoting positive behaviour",
    "Supporting young people through transition to adulthood",
]


@pytest.fixture
def service(tmp_path: Path) -> WorkshopService:
    return WorkshopService(Store.open(f"sqlite:///{tmp_path / 'plan.sqlite3'}"))


def test_the_plan_demo_has_five_priorities_each_with_two_or_three_indicators_and_four_quarters(
    service: WorkshopService,
):
    found = create_plan_demo(service, participants=8, seed=3)
    plan = found.plan
    assert [p.name for p in plan.agreed] == BROMLEY == [name for name, _ in AGREED]
    assert all(2 <= len(plan.indicators_of(p.id)) <= 3 for p in plan.agreed)
    assert all(i.name.startswith("NI ") for i in plan.indicators)
    assert all("llustrative" in i.baseline_source and "llustrative" in i.note for i in plan.indicators)
    assert all(i.lead in plan.groups for i in plan.indicators)
    assert [p.label for p in plan.periods] == list(QUARTERS)
    assert all(len(plan.actuals_of(i.id)) == 4 for i in plan.indicators)
    status = plan_status(plan)
    indicators = [i.status.value for p in status.priorities for i in p.indicators]
    assert indicators.count("off track") == 1 and "behind" in indicators and "on track" in indicators
    priorities = {p.priority.name: p.status.value for p in status.priorities}
    assert priorities["Keeping children safe"] == "off track"
    assert set(priorities.values()) == {"on track", "behind", "off track"}
    decision = service.decision(found.demo.key, found.demo.workshop.id)
    assert decision is not None and [e.name for e in decision.shortlist] == BROMLEY


def test_each_lead_link_opens_its_own_priority(service: WorkshopService):
    found = create_plan_demo(service, participants=4)
    assert [link.priority for link in found.lead_links] == BROMLEY
    for link in found.lead_links:
        view = service.lead_view(link.token)
        assert view.progress.priority.name == link.priority
    safe = next(link for link in found.lead_links if link.priority == "Keeping children safe")
    repeat = next(i for i in found.plan.indicators if i.name.startswith("NI 65"))
    before = service.lead_view(safe.token).progress.status
    after = service.lead_save_actuals(safe.token, [ActualSpec(repeat.id, "2012-Q1", 10.0, "Recovered.")])
    assert (before.value, after.progress.status.value) == ("off track", "on track")


def test_the_command_prints_code_key_links_and_the_leads_links(cli, url: str):  # type: ignore[no-untyped-def]  # noqa: F811
    result = cli("demo", "--with-plan", "--participants", "5", "--seed", "4", "--base-url", "https://x.example/app")
    assert result.status == 0 and result.err == ""
    code, key = value(result.out, "Join code"), value(result.out, "Facilitator key")
    assert f"Facilitator link:  https://x.example/app/?w={code}&k={key}\n" in result.out
    assert "which is now revealed." in result.out
    assert "Decision recorded on 5 priorities; 12 indicators (illustrative values)" in result.out
    assert "2011-Q2, 2011-Q3, 2011-Q4, 2012-Q1: 2 behind, 1 off track, 9 on track" in result.out
    leads = [line for line in result.out.splitlines() if line.startswith("Lead link (")]
    assert [line.split("(", 1)[1].split("):")[0] for line in leads] == BROMLEY
    prefix = f"https://x.example/app/{LEAD_PATH}?{LEAD_TOKEN_PARAMETER}="
    tokens = [line.split(prefix, 1)[1] for line in leads]
    service = WorkshopService(Store.open(url))
    assert [service.lead_view(t).progress.priority.name for t in tokens] == BROMLEY
