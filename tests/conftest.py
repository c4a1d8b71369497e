"""Suite-wide settings.

Hypothesis's per-example deadline is a timing assertion, and timing
assertions flake on a shared 2-core machine: it is switched off for the whole
suite (speed is measured by the benchmarks in bench/, not by tests)."""

from hypothesis import settings

settings.register_profile("prioritise", deadline=None)
settings.load_profile("prioritise")
