"""The board paper's building blocks: a ``Report`` of numbered ``Section``s made of a few kinds of block,
which ``html_report`` and ``docx_report`` lay out."""

from __future__ import annotations

from dataclasses import dataclass

from workshop.exports.charts import Chart
from workshop.exports.tables import Table


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # shown in bold before the text


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Notice:
    """A boxed message; a ``draft`` one says what the board has not decided yet (shaded, in bold)."""

    text: str
    draft: bool = False


@dataclass(frozen=True)
class Facts:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TableBlock:
    table: Table
    caption: str = ""


@dataclass(frozen=True)
class FigureBlock:
    chart: Chart
    caption: str


@dataclass(frozen=True)
class Subheading:
    text: str


Block = Paragraph | Bullets | Notice | Facts | TableBlock | FigureBlock | Subheading


@dataclass(frozen=True)
class Section:
    anchor: str
    number: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Report:
    title: str
    organisation: str
    kind: str  # "Board paper"
    date_text: str
    status: str
    draft: bool
    generated: str
    sections: tuple[Section, ...]
    footer: str = "Prioritise board paper"  # printed at the foot of every page (our words, never user text)
