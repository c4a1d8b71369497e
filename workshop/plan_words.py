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


def against_line(value: float | None, expected: float | None, gap: float | None, unit: str = "") -> str:
    """A latest value against the trajectory on its date (``Assessment``'s figures): "36 per 1,000 against
    35 per 1,000 on the line (1 per 1,000 short)", or "No value yet" (the Plan page and the report)."""
    if value is None or expected is None or gap is None:
        return "No value yet"
    where = "on the line" if abs(gap) < 1e-9 else f"{number_text(abs(gap), unit)} {'beyond' if gap > 0 else 'short'}"
    return f"{number_text(value, unit)} against {number_text(expected, unit)} on the line ({where})"
