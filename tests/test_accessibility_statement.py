"""The accessibility statement (docs/ACCESSIBILITY.md) is linked from the README and lists every
Streamlit violation the browser audit excludes, with its upstream issue."""

from pathlib import Path

from tests.browser.a11y import KNOWN

ROOT = Path(__file__).resolve().parents[1]
STATEMENT = (ROOT / "docs" / "ACCESSIBILITY.md").read_text(encoding="utf-8")


def test_the_readme_links_the_statement():
    assert "docs/ACCESSIBILITY.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_statement_lists_every_excluded_streamlit_violation():
    for known in KNOWN:
        assert known.upstream in STATEMENT, known


def test_the_statement_has_the_usual_sections():
    for heading in ("How accessible this tool is", "Non-accessible content", "How we test it", "Reporting a problem"):
        assert f"## {heading}" in STATEMENT
