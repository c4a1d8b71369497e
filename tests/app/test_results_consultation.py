"""The Results page's view of a consultation that is not a young people's ballot (AppTest): a scoring
round for one stakeholder group gets "What <group> said" as its first tab, beside every other tab (it
was scored on the workshop's criteria, so the consensus rule and the what-if apply)."""

from __future__ import annotations

from ui.results.shared import TABS
from workshop.models import ScoreEntry
from workshop.service import WorkshopService

from .conftest import Made, results_app

HEALTH = "Health (NHS)"


def consulted(svc: WorkshopService, sample: Made, people: int = 5):  # type: ignore[no-untyped-def]
    """The sample's scoring round as a consultation of the health group, answered and closed."""
    rnd = next(r for r in sample.workshop.rounds if r.kind == "scoring")
    svc.set_consultation(sample.key, rnd.id, audience=[HEALTH])
    svc.open_round(sample.key, rnd.id)
    criteria = sample.workshop.criteria
    for n in range(people):
        person = svc.join(sample.code, f"Nurse {n}", HEALTH)
        entries = [
            ScoreEntry(pid, c.id, c.scale_min + (i + n) % 3)
            for i, pid in enumerate(rnd.priority_ids)
            for c in criteria
        ]
        svc.save_scores(person.token, rnd.id, entries)
    svc.close_round(sample.key, rnd.id)
    return rnd


def test_a_group_s_consultation_has_its_own_view_first_and_every_other_tab(svc, sample):
    rnd = consulted(svc, sample)
    heading = f"What {HEALTH} said"
    at = results_app(sample, rnd.id, heading)
    assert [t.label for t in at.tabs] == [heading, *TABS]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People who took part"] == "5"
    (found,) = svc.consultations(sample.key, sample.workshop.id)
    table = at.dataframe[0].value
    assert "What the ballot called it" not in table.columns  # no ballot, no plain titles
    assert list(table["Priority"]) == [r.name for r in found.rows]  # the service's reading, as the board paper's
    assert list(table["Answers"]) == [r.answers for r in found.rows] == [5] * len(found.rows)
