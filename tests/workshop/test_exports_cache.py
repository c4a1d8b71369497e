"""The exports' robustness analyses are kept per state of the workshop
(``workshop.exports.analysis``): another export of an unchanged workshop
reuses them, a changed answer or setting computes them again, and the kept
figures are the ones a fresh computation gives."""

from __future__ import annotations

import gc

import pytest

from ranking.robustness import RobustnessOptions
from workshop.demo import create_demo
from workshop.exports import analysis as export_analysis
from workshop.exports import build_content
from workshop.models import ScoreEntry
from workshop.service import WorkshopService

SMALL = RobustnessOptions(samples=300, resamples=60)


def demo(service: WorkshopService):
    room = create_demo(service, 12)
    service.set_robustness_options(room.key, room.workshop.id, SMALL)
    return room


def sensitivity(service: WorkshopService, room):
    return build_content(service, room.key, room.workshop.id).analysis.sensitivity


def test_an_unchanged_workshop_reuses_its_analyses_and_they_are_the_fresh_ones(service, monkeypatch):
    room = demo(service)
    first = sensitivity(service, room)
    runs = []
    fresh = export_analysis._computed_sensitivity
    monkeypatch.setattr(export_analysis, "_computed_sensitivity", lambda *a: runs.append(a) or fresh(*a))
    again = sensitivity(service, room)
    assert again is first and runs == []
    export_analysis.clear_sensitivity_cache()
    assert sensitivity(service, room) == first and len(runs) == 1


def test_a_changed_setting_or_answer_computes_them_again(service, monkeypatch):
    room = demo(service)
    first = sensitivity(service, room)
    service.set_robustness_options(room.key, room.workshop.id, RobustnessOptions(samples=300, resamples=60, seed=4))
    reseeded = sensitivity(service, room)
    assert reseeded.smaa_seed == 4 and reseeded is not first
    scoring = room.workshop.rounds[0]
    service.reopen_round(room.key, scoring.id)
    priority, criterion = room.workshop.priorities[0], room.workshop.criteria[0]
    for person in room.participants:
        service.save_scores(person.token, scoring.id, [ScoreEntry(priority.id, criterion.id, 1.0)])
    service.close_round(room.key, scoring.id)
    changed = sensitivity(service, room)
    assert changed is not reseeded
    export_analysis.clear_sensitivity_cache()
    assert sensitivity(service, room) == changed


def test_the_two_papers_of_one_content_draw_their_charts_once(service, monkeypatch):
    import workshop.exports as exports

    room = demo(service)
    content = build_content(service, room.key, room.workshop.id)
    drawn = []
    draw = exports.build_charts
    monkeypatch.setattr(exports, "build_charts", lambda c: drawn.append(c) or draw(c))
    html, word = exports.render_content(content, "html"), exports.render_content(content, "docx")
    assert drawn == [content] and html.data and word.data
    exports.render_content(build_content(service, room.key, room.workshop.id), "html")
    assert len(drawn) == 2  # another content draws its own


@pytest.mark.parametrize("enabled", [True, False])
def test_a_file_is_written_with_the_cycle_collector_paused_then_restored(service, monkeypatch, enabled):
    """Issue 17: the collector's walks over the content were a third of the
    Excel writer's time; after the export it is as it was, even on an error."""
    import workshop.exports as exports

    room = demo(service)
    content = build_content(service, room.key, room.workshop.id)
    seen = []
    write = exports.render_xlsx
    monkeypatch.setattr(exports, "render_xlsx", lambda c: seen.append(gc.isenabled()) or write(c))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert exports.render_content(content, "xlsx").data.startswith(b"PK")
        assert seen == [False] and gc.isenabled() is enabled
        monkeypatch.setattr(exports, "render_xlsx", lambda c: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            exports.render_content(content, "xlsx")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
