"""The Live coverage panel's sentence: "so far" only while the round is open."""

from __future__ import annotations

from ui.consultation_widgets import coverage_sentence
from workshop.models import PriorityCoverage, RoundCoverage

COVERAGE = RoundCoverage(1, 3, (PriorityCoverage(1, "A", 10, 2), PriorityCoverage(2, "B", 10, 5)))


def test_an_open_round_counts_so_far_and_a_closed_one_does_not():
    assert coverage_sentence(COVERAGE) == "1 of 2 priorities have fewer than 3 answers so far."
    assert coverage_sentence(COVERAGE, still_open=False) == "1 of 2 priorities have fewer than 3 answers."


def test_full_coverage_says_so():
    covered = RoundCoverage(1, 2, COVERAGE.priorities)
    assert coverage_sentence(covered, still_open=False) == "Every priority has at least 2 answers."
