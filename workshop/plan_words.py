"""How the plan's numbers are written, once: the performance report, the review's board paper and its cards."""

from __future__ import annotations


def number_text(value: float | None, unit: str = "") -> str:
    """A value as the plan's documents write it: at most two decimals, thousands separated, its unit after it
    ("36 per 1,000", "7.5%"); "" for no value."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
