"""A demonstration plan: the demo workshop, a decision on Bromley's five, indicators and four quarters of actuals.

``create_plan_demo`` runs ``workshop.demo.create_demo`` (the simulated room scores round 1), then, through
the service as a facilitator would: records the decision on the five priorities Bromley's board agreed
for its 2011–14 plan (ARCHITECTURE.md §6; a reason for each departure from the room's computed top five),
sets two or three indicators for each from the National Indicator Set of the time, with a baseline at
2011-03-31 and a target at 2014-03-31, enters four quarters of actuals (2011-Q2 to 2012-Q1) and issues a
lead's link per priority.

The indicators' names and definitions are real (National Indicator Set, DCLG 2008); every value is
illustrative, made up for the demonstration, and labelled so in each indicator's baseline source and
note.  Each value is the line from baseline to target at the quarter's end, times a pace: above 1 is
ahead of the line (on track), between 0 and 1 is short of it but moving the right way (behind), below 0
is moving the wrong way (off track), so the demo shows each status: ``PACES`` says which is which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ranking.indicator_status import Better, expected
from ranking.periods import Period
from workshop.demo import DEFAULT_PARTICIPANTS, DEFAULT_SEED, Demo, create_demo
from workshop.errors import InvalidInput
from workshop.models import (
    ActualSpec,
    DecisionDraft,
    DepartureReason,
    IndicatorSpec,
    LeadLink,
    Plan,
    RoundKind,
    ShortlistEntry,
)
from workshop.service import WorkshopService
from workshop.standing import changes, standing

#: Bromley's five (data/sample/priorities.csv names), each with the board's recorded reason (illustrative words).
AGREED = (
    ("Attainment and achievement for all", "Attainment lags the London average at every key stage."),
    (
        "Health and wellbeing of children, young people and families",
        "Obesity and teenage conceptions are above the national rate.",
    ),
    ("Keeping children safe", "Safeguarding is every partner's first duty; repeat child protection plans are rising."),
    ("Promoting positive behaviour", "First-time entrants to youth justice are the partnership's shared concern."),
    (
        "Supporting young people through transition to adulthood",
        "NEET and care leavers' outcomes need several agencies at once.",
    ),
)
DEPARTURE_REASON = "The board's judgement after the discussion: see the recorded rationale (illustrative)."
BASELINE_DATE = date(2011, 3, 31)
TARGET_DATE = date(2014, 3, 31)
QUARTERS = ("2011-Q2", "2011-Q3", "2011-Q4", "2012-Q1")
SOURCE = "Illustrative value for the demonstration (not real data)"
NOTE = "Indicator from the National Indicator Set (DCLG 2008); the values are illustrative."
ON_TRACK, BEHIND, OFF_TRACK = 1.25, 0.5, -0.3  # pace: a share of the line's progress at each quarter


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    priority: str
    unit: str
    direction: Better
    baseline: float
    target: float
    lead: str
    pace: float


_LA, _NHS, _POLICE, _SCHOOLS, _VCS = (
    "Local authority children's services",
    "Health (NHS)",
    "Police and youth justice",
    "Schools and colleges",
    "Voluntary and community sector",
)
_A, _H, _S, _B, _T = (name for name, _ in AGREED)
H, L = Better.HIGHER, Better.LOWER
INDICATORS = (
    DemoIndicator(
        "NI 75 Achievement of 5+ A*-C GCSEs including English and maths", _A, "%", H, 52.0, 60.0, _SCHOOLS, ON_TRACK
    ),
    DemoIndicator(
        "NI 73 Achievement at level 4+ in English and maths at Key Stage 2", _A, "%", H, 72.0, 78.0, _SCHOOLS, BEHIND
    ),
    DemoIndicator("NI 87 Secondary school persistent absence rate", _A, "%", L, 4.9, 3.5, _LA, ON_TRACK),
    DemoIndicator("NI 56 Obesity among primary school age children in Year 6", _H, "%", L, 18.5, 16.5, _NHS, ON_TRACK),
    DemoIndicator("NI 112 Under-18 conception rate", _H, "per 1,000 girls aged 15-17", L, 32.0, 24.0, _NHS, ON_TRACK),
    DemoIndicator(
        "NI 51 Effectiveness of child and adolescent mental health services (CAMHS)",
        _H,
        "score out of 16",
        H,
        12.0,
        16.0,
        _NHS,
        ON_TRACK,
    ),
    DemoIndicator(
        "NI 65 Children becoming the subject of a child protection plan for a second time",
        _S,
        "%",
        L,
        14.0,
        10.0,
        _LA,
        OFF_TRACK,
    ),
    DemoIndicator(
        "NI 62 Looked-after children with three or more placements in the year", _S, "%", L, 11.0, 9.0, _LA, ON_TRACK
    ),
    DemoIndicator(
        "NI 111 First-time entrants to the youth justice system aged 10-17",
        _B,
        "per 100,000 aged 10-17",
        L,
        1450.0,
        1100.0,
        _POLICE,
        ON_TRACK,
    ),
    DemoIndicator("NI 110 Young people's participation in positive activities", _B, "%", H, 65.0, 72.0, _VCS, ON_TRACK),
    DemoIndicator(
        "NI 117 16-18 year olds not in education, employment or training (NEET)", _T, "%", L, 6.1, 4.5, _LA, BEHIND
    ),
    DemoIndicator("NI 148 Care leavers in education, employment or training", _T, "%", H, 62.0, 75.0, _LA, ON_TRACK),
)
_COMMENTARY = {
    ON_TRACK: "Ahead of the trajectory this quarter (illustrative commentary).",
    BEHIND: "Improving, but more slowly than planned; the partnership is reviewing the action plan (illustrative).",
    OFF_TRACK: "Moving the wrong way; escalated to the board for a recovery plan (illustrative).",
}


@dataclass(frozen=True)
class PlanDemo:
    demo: Demo
    plan: Plan
    lead_links: tuple[LeadLink, ...]  # one per agreed priority, with its token (shown once)


def indicator_specs() -> tuple[IndicatorSpec, ...]:
    return tuple(
        IndicatorSpec(
            i.name,
            i.priority,
            i.direction,
            i.baseline,
            BASELINE_DATE,
            i.target,
            TARGET_DATE,
            i.unit,
            SOURCE,
            i.lead,
            NOTE,
        )
        for i in INDICATORS
    )


def actual_value(indicator: DemoIndicator, spec: IndicatorSpec, quarter: str) -> float:
    """The illustrative value at a quarter's end: the line's progress there times the indicator's pace."""
    line = expected(spec.plan, Period.parse(quarter).end)
    value = indicator.baseline + (line - indicator.baseline) * indicator.pace
    return round(value, 0 if abs(indicator.baseline) >= 100 else 1)


def create_plan_demo(
    service: WorkshopService, participants: int = DEFAULT_PARTICIPANTS, seed: int = DEFAULT_SEED
) -> PlanDemo:
    """The demo workshop (round 1 revealed) with the decision, the plan, four quarters and the leads' links."""
    demo = create_demo(service, participants, seed, reveal=True)
    workshop, key = demo.workshop, demo.key
    by_name = {p.name: p for p in workshop.priorities}
    missing = [name for name, _ in AGREED if name not in by_name]
    if missing:
        raise InvalidInput(f"The sample workshop has no priority '{missing[0]}', which the plan demo agrees.")
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    computed = standing(service.results(key, scoring.id), workshop.priorities, service.version(workshop.id))
    agreed = [name for name, _ in AGREED]
    found = changes(agreed, computed, workshop.shortlist_places(scoring))
    draft = DecisionDraft(
        tuple(ShortlistEntry(by_name[name].id, why) for name, why in AGREED),
        decided_by="Children's Trust Board (demonstration)",
        reasons=tuple(DepartureReason(d.priority_id, DEPARTURE_REASON) for d in found),
        round_id=scoring.id,
        note="Demonstration decision on the five priorities of Bromley's 2011-14 plan.",
    )
    service.record_decision(key, workshop.id, draft)
    plan = service.set_indicators(key, workshop.id, indicator_specs())
    ids = {i.name: i.id for i in plan.indicators}
    actuals = [
        ActualSpec(
            ids[item.name],
            quarter,
            actual_value(item, spec, quarter),
            _COMMENTARY[item.pace] if quarter == QUARTERS[-1] else "",
        )
        for item, spec in zip(INDICATORS, indicator_specs(), strict=True)
        for quarter in QUARTERS
    ]
    plan = service.save_actuals(key, workshop.id, actuals)
    links = tuple(service.issue_lead_link(key, workshop.id, p.id) for p in plan.agreed)
    return PlanDemo(demo, plan, links)
