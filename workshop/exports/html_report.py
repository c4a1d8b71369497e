"""The board paper as one self-contained HTML file.

Everything is inline: the stylesheet in a ``<style>`` element, the charts
as ``data:`` PNG images.  The file makes no request of any kind, and its
Content-Security-Policy says so to the browser (no scripts, no fetches,
images from ``data:`` only), so it opens offline and a hostile name could
not run script even if escaping failed.  It prints to A4 with page numbers,
each section on a new page, table headers repeated and no table row or
chart split across pages.

Escaping is by default: ``tag`` escapes every child and attribute that is
not ``Markup`` (HTML this module built itself), so user text can only ever
be text.
"""

from __future__ import annotations

import base64
import html

from workshop.exports import blocks as paper
from workshop.exports.tables import Format, display


class Markup(str):
    """HTML built by this module: inserted as it is, never escaped again."""

    __slots__ = ()


def esc(value: object) -> Markup:
    return value if isinstance(value, Markup) else Markup(html.escape(str(value), quote=True))


def _attributes(attrs: dict[str, object]) -> str:
    """` key="value"` pairs, escaped; ``class_`` is written ``class``, ``data_x`` ``data-x``; None is left out."""
    return "".join(f' {key.rstrip("_").replace("_", "-")}="{esc(v)}"' for key, v in attrs.items() if v is not None)


def tag(element: str, *children: object, **attrs: object) -> Markup:
    """``<element attrs>children</element>``, every child and attribute value escaped unless it is ``Markup``."""
    return Markup(f"<{element}{_attributes(attrs)}>{''.join(esc(c) for c in children)}</{element}>")


def void(element: str, **attrs: object) -> Markup:
    """An element with no content (``<img>``, ``<meta>``, ``<br>``)."""
    return Markup(f"<{element}{_attributes(attrs)}>")


def lines(text: str) -> Markup:
    """Text with its line breaks kept."""
    return Markup(void("br").join(esc(line) for line in text.split("\n")))


CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
@page { size: A4; margin: 18mm 17mm 20mm 17mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, sans-serif; color: #555; }
  @bottom-left { content: "Prioritise board paper"; font: 8pt Arial, sans-serif; color: #555; }
}
:root { --ink: #1a1a1a; --navy: #1f3a5f; --rule: #c9d3df; --zebra: #f3f6f9; --muted: #555; }
* { box-sizing: border-box; }
html { background: #e9edf2; }
body { font: 10pt/1.45 "Segoe UI", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: var(--ink);
  max-width: 210mm; margin: 0 auto; padding: 16mm 17mm; background: #fff; }
header.cover { border-top: 6px solid var(--navy); padding-top: 5mm; margin-bottom: 5mm; }
.organisation { text-transform: uppercase; letter-spacing: .08em; font-size: 9pt; color: var(--muted); margin: 0; }
h1 { font-size: 20pt; line-height: 1.2; color: var(--navy); margin: 1mm 0 2mm; }
.kind { font-size: 12pt; margin: 0 0 2mm; }
.meta { color: var(--muted); margin: 0; }
.status { display: inline-block; padding: 1mm 3mm; border-radius: 2mm; font-weight: 600; font-size: 9pt;
  margin-top: 3mm; background: #e3f1e8; color: #1d5e35; border: 1px solid #9cc9ab; }
.status.draft { background: #fdf0dc; color: #7a4a00; border-color: #e5b86b; }
nav.contents { border: 1px solid var(--rule); padding: 2mm 4mm; margin: 0 0 5mm; }
nav.contents h2 { font-size: 10pt; margin: 0 0 1mm; border: 0; padding: 0; }
nav.contents ul { margin: 0; padding: 0; list-style: none; columns: 3; font-size: 8.5pt; }
nav.contents li { margin: 0; }
nav.contents a { color: var(--navy); text-decoration: none; }
h2 { font-size: 15pt; color: var(--navy); border-bottom: 2px solid var(--navy); padding-bottom: 1mm;
  margin: 0 0 4mm; break-after: avoid; }
h3 { font-size: 11pt; color: var(--navy); margin: 5mm 0 2mm; break-after: avoid; }
section { margin-bottom: 8mm; }
section + section { break-before: page; }
p { margin: 0 0 2.5mm; }
ul, ol { margin: 0 0 3mm; padding-left: 6mm; }
li { margin-bottom: 1mm; }
.notice { border-left: 4px solid var(--navy); background: var(--zebra); padding: 3mm 4mm; margin: 0 0 4mm; }
.notice.draft { border-color: #d58a00; background: #fdf0dc; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: 42mm 1fr; gap: 0.5mm 4mm; margin: 0 0 3mm; }
dl.facts dt { font-weight: 600; color: var(--navy); }
dl.facts dd { margin: 0; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; }
figcaption, caption { font-size: 8.5pt; color: var(--muted); text-align: left; padding: 1mm 0; }
caption { caption-side: top; font-weight: 600; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; margin: 0 0 5mm; }
table.wide { font-size: 7.5pt; }
table.wide th, table.wide td { padding: 1mm 1.2mm; hyphens: auto; overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: var(--navy); color: #fff; text-align: left; font-weight: 600; padding: 1.3mm 1.6mm;
  vertical-align: bottom; }
td { padding: 1.1mm 1.6mm; border-bottom: 1px solid var(--rule); vertical-align: top; overflow-wrap: break-word; }
tbody tr:nth-child(even) td { background: var(--zebra); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.when { white-space: nowrap; }
footer.generated { margin-top: 8mm; font-size: 8pt; color: var(--muted); border-top: 1px solid var(--rule);
  padding-top: 2mm; }
@media print {
  html { background: none; }
  body { max-width: none; margin: 0; padding: 0; }
  nav.contents a { color: inherit; }
}
"""

NUMERIC = (Format.INTEGER, Format.DECIMAL, Format.PERCENT)
WIDE_FROM = 7  # columns: more and the table's type gets smaller


def _cell_class(fmt: Format) -> str | None:
    return "num" if fmt in NUMERIC else "when" if fmt is Format.DATETIME else None


def _table(block: paper.TableBlock) -> Markup:
    table = block.table
    classes = [_cell_class(c.format) for c in table.columns]
    head = tag("tr", *(tag("th", c.title, class_=k) for c, k in zip(table.columns, classes, strict=True)))
    body = [
        tag(
            "tr",
            *(
                tag("td", lines(display(value, c.format)), class_=k)
                for value, c, k in zip(row, table.columns, classes, strict=True)
            ),
        )
        for row in table.rows
    ]
    caption = tag("caption", block.caption) if block.caption else Markup("")
    wide = "wide" if len(table.columns) > WIDE_FROM else None
    return tag("table", caption, tag("thead", head), tag("tbody", *body), class_=wide, data_table=table.name)


def _block(block: paper.Block) -> Markup:
    if isinstance(block, paper.Paragraph):
        return tag("p", tag("strong", block.lead) if block.lead else "", lines(block.text))
    if isinstance(block, paper.Bullets):
        return tag("ol" if block.numbered else "ul", *(tag("li", item) for item in block.items))
    if isinstance(block, paper.Notice):
        return tag("div", block.text, class_="notice draft" if block.draft else "notice note", role="note")
    if isinstance(block, paper.Facts):
        return tag("dl", *(Markup(tag("dt", k) + tag("dd", v)) for k, v in block.pairs), class_="facts")
    if isinstance(block, paper.TableBlock):
        return _table(block)
    if isinstance(block, paper.FigureBlock):
        chart = block.chart
        source = "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
        image = void("img", src=source, alt=chart.alt, width=chart.width_px, height=chart.height_px)
        return tag("figure", image, tag("figcaption", f"Figure: {block.caption}."), data_chart=chart.name)
    assert isinstance(block, paper.Subheading)
    return tag("h3", block.text)


def _section(section: paper.Section) -> Markup:
    return tag(
        "section",
        tag("h2", section.heading),
        *(_block(b) for b in section.blocks),
        id=section.anchor,
        data_section=section.anchor,
    )


def _css_text(text: str) -> str:
    """Text for a CSS string: only letters, digits, spaces and plain punctuation are kept."""
    return "".join(ch for ch in text if ch.isalnum() or ch in " .,:;()-–")


def render_html(report: paper.Report) -> bytes:
    status_class = "status draft" if report.draft else "status"
    cover = tag(
        "header",
        tag("p", report.organisation, class_="organisation") if report.organisation else "",
        tag("h1", report.title),
        tag("p", report.kind, class_="kind"),
        tag("p", report.date_text, class_="meta"),
        tag("span", report.status, class_=status_class),
        class_="cover",
    )
    contents = tag(
        "nav",
        tag("h2", "Contents"),
        tag("ul", *(tag("li", tag("a", s.heading, href=f"#{s.anchor}")) for s in report.sections)),
        class_="contents",
    )
    body = tag(
        "body",
        cover,
        contents,
        *(_section(s) for s in report.sections),
        tag("footer", report.generated, class_="generated"),
    )
    style = STYLE.replace('"Prioritise board paper"', f'"{_css_text(report.footer)}"')
    return html_document(f"{report.title}: {report.kind}", style, body)


def html_document(title: str, style: str, body: Markup) -> bytes:
    """A whole self-contained page: UTF-8, the Content-Security-Policy (``CSP``), the title, the style."""
    head = tag(
        "head",
        void("meta", charset="utf-8"),
        void("meta", http_equiv="Content-Security-Policy", content=CSP),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        tag("title", title),
        tag("style", Markup(style)),
    )
    return ("<!DOCTYPE html>\n" + tag("html", head, body, lang="en-GB")).encode("utf-8")
