"""The board paper as a Word document (python-docx), for councils that edit
their board papers in Word.

The same ``Report`` as the HTML file, laid out with Word's own styles
(Title, Heading 1/2, List Bullet/Number, Caption) so it takes the council's
template styles when pasted: A4, each section on a new page, table header
rows repeated on every page, charts as PNG images 17 cm wide, a footer
with page numbers and, while no shortlist is agreed, a DRAFT header.

Text is added as text runs, never parsed as markup, so a name such as
``<script>`` is just characters in the document; control characters XML
cannot hold are dropped (``safety.xml_text``).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from workshop.exports import blocks as paper
from workshop.exports.safety import xml_text
from workshop.exports.tables import Format, Table, display

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x55, 0x55, 0x55)
TEXT_WIDTH_CM = 17.0
CHAR_CM = 0.17  # one character of 8 pt Arial, about
PAD_CM = 0.45  # a cell's left and right padding
SHORT_CM = 3.0  # columns needing less keep their width; wider ones share what is left
MIN_TEXT_CM = 2.0
FONT = "Arial"
NUMERIC = (Format.INTEGER, Format.DECIMAL, Format.PERCENT)


def _shade(element: object, fill: str) -> None:
    """Background colour of a paragraph (``w:pPr``) or table cell (``w:tcPr``)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    element.append(shading)  # type: ignore[attr-defined]


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _setup(document: Document, report: paper.Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 12), ("Caption", 8)):
        style = document.styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        style.font.color.rgb = MUTED if name == "Caption" else NAVY
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{xml_text(report.footer)}    Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size, run.font.color.rgb = Pt(8), MUTED
    if report.draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run("DRAFT: no shortlist has been agreed yet")
        run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0x9A, 0x5B, 0x00)
    document.core_properties.title = xml_text(report.title)[:250]
    document.core_properties.author = "Prioritise"


def _cover(document: Document, report: paper.Report) -> None:
    if report.organisation:
        run = document.add_paragraph().add_run(xml_text(report.organisation.upper()))
        run.font.size, run.font.color.rgb = Pt(9), MUTED
    document.add_paragraph(xml_text(report.title), style="Title")
    kind = document.add_paragraph().add_run(report.kind)
    kind.font.size = Pt(13)
    document.add_paragraph(report.date_text)
    status = document.add_paragraph().add_run(report.status)
    status.bold = True
    status.font.color.rgb = RGBColor(0x9A, 0x5B, 0x00) if report.draft else RGBColor(0x1D, 0x5E, 0x35)
    document.add_paragraph("Contents", style="Heading 2")
    for section in report.sections:
        document.add_paragraph(xml_text(section.heading)).paragraph_format.space_after = Pt(0)


def _widths(table: Table) -> list[float]:
    """Column widths in cm.  Each column needs its longest value (or the
    longest word of its heading, which wraps between words) at about
    ``CHAR_CM`` a character; short columns get what they need and the long
    text columns share the rest of the line, so numbers never wrap."""
    need = []
    for n, column in enumerate(table.columns):
        values = [line for row in table.rows for line in display(row[n], column.format).split("\n")]
        longest = max([len(word) * 1.1 for word in column.title.split()] + [min(len(v), 80) for v in values])
        need.append(longest * CHAR_CM + PAD_CM)
    flexible = [n for n, width in enumerate(need) if width > SHORT_CM]
    fixed = sum(width for n, width in enumerate(need) if n not in flexible)
    spare = TEXT_WIDTH_CM - fixed
    if not flexible or spare < MIN_TEXT_CM * len(flexible):
        return [width * TEXT_WIDTH_CM / sum(need) for width in need]
    wanted = sum(need[n] for n in flexible)
    return [width * spare / wanted if n in flexible else width for n, width in enumerate(need)]


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _cell_text(cell: object, text: str, numeric: bool, header: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.paragraph_format.space_after = Pt(0)
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(xml_text(text))
    run.font.size = Pt(8)
    if header:
        run.bold, run.font.color.rgb = True, RGBColor(0xFF, 0xFF, 0xFF)


def _table(document: Document, block: paper.TableBlock) -> DocxTable:
    table = block.table
    if block.caption:
        document.add_paragraph(xml_text(block.caption), style="Caption")
    numeric = [c.format in NUMERIC for c in table.columns]
    out = document.add_table(rows=1, cols=len(table.columns))
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    widths = [Cm(w) for w in _widths(table)]
    for column, width in zip(out.columns, widths, strict=True):
        column.width = width  # the table grid, which LibreOffice reads; Word reads the cells' widths
    header = out.rows[0]
    _repeat_header(header)
    for cell, column, width, n in zip(header.cells, table.columns, widths, numeric, strict=True):
        cell.width = width
        _shade(cell._tc.get_or_add_tcPr(), "1F3A5F")
        _cell_text(cell, column.title, n, header=True)
    for values in table.rows:
        cells = out.add_row().cells
        for cell, value, column, width, n in zip(cells, values, table.columns, widths, numeric, strict=True):
            cell.width = width
            _cell_text(cell, display(value, column.format), n)
    document.add_paragraph()
    return out


def _block(document: Document, block: paper.Block) -> None:
    if isinstance(block, paper.Paragraph):
        paragraph = document.add_paragraph()
        if block.lead:
            paragraph.add_run(xml_text(block.lead)).bold = True
        paragraph.add_run(xml_text(block.text))
    elif isinstance(block, paper.Bullets) and block.numbered:
        # Numbered by hand: Word's "List Number" style shares one numbering across the document, so a
        # second list would carry on from the first.
        for n, item in enumerate(block.items, start=1):
            paragraph = document.add_paragraph(f"{n}.\t{xml_text(item)}")
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    elif isinstance(block, paper.Bullets):
        for item in block.items:
            document.add_paragraph(xml_text(item), style="List Bullet")
    elif isinstance(block, paper.Notice):
        paragraph = document.add_paragraph()
        _shade(paragraph._p.get_or_add_pPr(), "FDF0DC" if block.draft else "F3F6F9")
        run = paragraph.add_run(xml_text(block.text))
        run.bold = block.draft
    elif isinstance(block, paper.Facts):
        facts = document.add_table(rows=0, cols=2)
        facts.autofit = False
        facts.columns[0].width, facts.columns[1].width = Cm(4.5), Cm(TEXT_WIDTH_CM - 4.5)
        for key, value in block.pairs:
            key_cell, value_cell = facts.add_row().cells
            key_cell.width, value_cell.width = Cm(4.5), Cm(TEXT_WIDTH_CM - 4.5)
            key_cell.paragraphs[0].add_run(xml_text(key)).bold = True
            value_cell.paragraphs[0].add_run(xml_text(value))
        document.add_paragraph()
    elif isinstance(block, paper.TableBlock):
        _table(document, block)
    elif isinstance(block, paper.FigureBlock):
        document.add_picture(io.BytesIO(block.chart.png), width=Cm(TEXT_WIDTH_CM))
        document.add_paragraph(xml_text(f"Figure: {block.caption}. {block.chart.alt}"), style="Caption")
    else:
        assert isinstance(block, paper.Subheading)
        document.add_paragraph(xml_text(block.text), style="Heading 2")


def _section(document: Document, section: paper.Section, new_page: bool) -> None:
    heading = document.add_paragraph(xml_text(section.heading), style="Heading 1")
    if new_page:
        heading.paragraph_format.page_break_before = True
    for block in section.blocks:
        _block(document, block)


def render_docx(report: paper.Report) -> bytes:
    document = Document()
    _setup(document, report)
    _cover(document, report)
    for n, section in enumerate(report.sections):
        _section(document, section, new_page=n > 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
