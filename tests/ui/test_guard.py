"""ui.session.guard: a refusal's message and problems quote typed text, so they are shown as typed (ui.plain.md)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import error_texts, unescaped
from ui.plain import md

TYPED = "Priority '*Under-5s* [see](https://phish.example) $5m' is not on the list."
PROBLEM = "Row 2: criterion '**Cost**' appears again."


def _refusing_page() -> None:
    from ui.session import guard
    from workshop.errors import InvalidInput

    with guard("Saving"):
        raise InvalidInput(
            "Priority '*Under-5s* [see](https://phish.example) $5m' is not on the list.",
            ("Row 2: criterion '**Cost**' appears again.",),
        )


def test_a_refusal_quoting_typed_text_is_escaped_and_reads_as_typed():
    at = AppTest.from_function(_refusing_page, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [md(TYPED)]  # no emphasis, link or maths: the text as typed
    assert error_texts(at) == [TYPED]
    assert [m.value for m in at.markdown] == [f"- {md(PROBLEM)}"]
    assert unescaped(at.markdown[0].value) == f"- {PROBLEM}"
