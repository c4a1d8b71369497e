"""What keeps an export from turning a participant's or facilitator's text
into something else: a spreadsheet formula, markup, or an unsafe file name.

* ``neutralise_formula``: OWASP "CSV injection" guidance.  A text cell that
  begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
  read by Excel, LibreOffice or Google Sheets as a formula (``=HYPERLINK(...)``
  phones home; ``=cmd|...`` once ran programs), so it gets a leading single
  quote and is then read as text.  Used for every text cell of the CSV and
  XLSX exports, column headings included (criterion and group names become
  headings).  Numbers are written as numbers and need no quote.
* ``csv_text``: a CSV cell is also split at a separator that is not the
  file's own (Excel in a locale whose list separator is ``;`` splits a
  comma-separated file at every ``;``, and some readers split at tabs or
  ``|``), so every piece that such a split would start with a formula
  character is neutralised too: ``Plan;=1+1;`` is written ``Plan;'=1+1;``.
  The XLSX export needs no such thing: a workbook cell is never split.
* ``xml_text``: the control characters XML 1.0 cannot hold (openpyxl and
  python-docx refuse them; an HTML parser replaces some) are dropped.
* ``filename``: an ASCII slug of the title and a date, safe on every file
  system and in a Content-Disposition header.

HTML escaping lives with the HTML report's tiny template (``html_report``),
which escapes every string unless it is markup the report built itself.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The start of a CSV cell or a separator some spreadsheet locale or reader splits a line at, then a
#: formula character (spaces before it are trimmed by some readers, so they count as nothing).
_SPLIT_FORMULA = re.compile(r"(^|[,;\t|])( *)(?=[=+\-@\t\r])")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_LENGTH = 80


def neutralise_formula(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 forbids (tab, newline and carriage return stay)."""
    return _XML_ILLEGAL.sub("", text)


def spreadsheet_text(text: str) -> str:
    """A text cell for CSV or XLSX: XML-clean and formula-neutralised."""
    return neutralise_formula(xml_text(text))


def csv_text(text: str) -> str:
    """A CSV text cell: XML-clean, and neither the cell nor any piece after a separator can start a formula."""
    return _SPLIT_FORMULA.sub(r"\1\2'", xml_text(text))


def slug(text: str, limit: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word end within ``limit``
    ("People's Plan 2011–14: ça va" → "peoples-plan-2011-14-ca-va").  Accents
    lose their marks; apostrophes vanish; any other character separates words."""
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("\u2019", ""))
    ascii_text = "".join(c if c.isascii() else " " for c in decomposed if not unicodedata.combining(c))
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        cut = words[: limit + 1]
        words = cut[: cut.rfind("-")] if "-" in cut else cut[:limit]
    return words


def filename(title: str, day: date, extension: str) -> str:
    """``<slug of title>-<YYYY-MM-DD>.<extension>``; "workshop" when the title has no ASCII letters or digits."""
    return f"{slug(title) or 'workshop'}-{day.isoformat()}.{extension}"
