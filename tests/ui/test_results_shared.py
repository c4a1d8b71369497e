"""ui.results.shared: what every Results tab shares."""

from __future__ import annotations

from ui.results.shared import md

# --------------------------------------------------------------------------- people's text in markdown


def test_peoples_text_is_shown_as_typed_not_as_markdown():
    assert md("£5m *new* money [see](x) for 0-5s: $2 a_b") == (
        "£5m \\*new\\* money \\[see\\]\\(x\\) for 0\\-5s\\: \\$2 a\\_b"
    )
