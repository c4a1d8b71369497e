"""The plain-language summary: one printable A4 page (HTML) for the people who took part and for the
child-friendly version of the plan: what we asked, how many took part (by group), what came out on top,
what happens next, and the page's own reading ease (``ranking.readability``).

It summarises the agreed shortlist once the board has recorded one, else the latest consultation round
that has run (a young people's ballot or another round that reached beyond the room), else the latest
round analysed.  It renders ``ExportContent``
like every other format and computes nothing again but the reading ease of its own words.  Priorities
are called by their plain-language titles where they have one.  It names nobody and holds no free text
from participants (nor the facilitator's rationale): only counts, group names and the setup's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from ranking.readability import GENERAL_TARGET, YOUNG_PEOPLE_TARGET, Readability, readability
from workshop.exports.html_report import Markup, html_document, tag
from workshop.exports.model import ExportContent
from workshop.said import Said

NEXT_AFTER_SHORTLIST = (
    "These will be the main aims of our plan for the next three years.",
    "Every partner will put time and money into them.",
    "We will check how we are doing every few months, and we will tell you what we find.",
)
NEXT_AFTER_CONSULTATION = (
    "The board will read what you said before it picks its top priorities.",
    "We will tell you what it chose, and why.",
)
NEXT_AFTER_ROUND = (
    "The board will talk about these results before it agrees its priorities.",
    "We will tell you what it chose, and why.",
)


@dataclass(frozen=True)
class SummaryPart:
    heading: str
    sentences: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # a list under the sentences
    numbered: bool = False


@dataclass(frozen=True)
class SummaryPage:
    title: str
    subtitle: str
    parts: tuple[SummaryPart, ...]
    reading: Readability  # of every sentence and list item on the page, scored as a whole

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t for p in self.parts for t in (f"{p.heading}.", *p.sentences, *(f"{i}." for i in p.items)))


def _people(n: int) -> str:
    return f"{n:,} {'person' if n == 1 else 'people'}"


def _counted(found: Said) -> str:
    """ "650 young people", "40 people from Partner agencies", "1 person"."""
    n = found.respondents
    people = _people(n)
    if found.ballot:
        return f"{n:,} young {'person' if n == 1 else 'people'}"
    return f"{people} from {found.audience}" if found.audience else people


def _question(found: Said) -> str:
    """What a consultation asked, in plain words: a ballot's own question, else what it asked for."""
    if found.ballot:
        return f"We asked young people: “{found.question}”"
    if found.picks:
        return f"We asked {found.whom} to put the ideas in order."
    return f"We asked {found.whom} to score each idea on {len(found.criteria)} questions."


def _titles(content: ExportContent) -> dict[str, str]:
    return {p.name: p.ballot_title for p in content.priorities}


def _parts(content: ExportContent) -> tuple[str, str, tuple[SummaryPart, ...], bool]:
    """(title, subtitle, parts, for young people?) of the page."""
    titles = _titles(content)
    w = content.workshop
    joined = [(g.name, g.joined) for g in content.groups if g.joined]
    if content.decision is not None:
        d = content.decision
        asked = [f"We asked {_people(content.participants_joined)} to help choose the main aims of our plan."]
        asked.append(f"They looked at {len(content.priorities)} ideas and said how much each one matters.")
        for found in content.consultations:
            asked.append(f"We also asked {_counted(found)} what mattered most to them.")
        who = tuple(f"{group}: {_people(n)}" for group, n in joined)
        who += tuple(f"{g}: {_people(n)}" for found in content.consultations for g, n in found.by_group)
        top = tuple(titles.get(p.name, p.name) for p in d.shortlist)
        parts = (
            SummaryPart("What we asked", tuple(asked)),
            SummaryPart("Who took part", (), who),
            SummaryPart(f"The {len(top)} we chose", ("These came out on top:",), top, numbered=True),
            SummaryPart("What happens next", NEXT_AFTER_SHORTLIST),
        )
        return "Our agreed priorities", w.title, parts, any(found.ballot for found in content.consultations)
    if content.consultations:
        found = content.consultations[-1]
        parts = (
            SummaryPart(
                "What we asked",
                (_question(found), f"We asked this about {len(found.rows)} ideas."),
            ),
            SummaryPart(
                "Who took part",
                (f"{_people(found.respondents)} took part. Thank you!",),
                tuple(f"{g}: {_people(n)}" for g, n in found.by_group),
            ),
            SummaryPart(
                "What came out on top",
                (f"These {len(found.top_rows)} mattered most to you:",),
                tuple(r.title for r in found.top_rows),
                numbered=True,
            ),
            SummaryPart("What happens next", NEXT_AFTER_CONSULTATION),
        )
        return "What you told us", w.title, parts, found.ballot
    analysed = content.analysis.round.number if content.analysis is not None else None
    ranking = next((r for r in content.rankings if r.round.number == analysed), None) or (
        content.rankings[-1] if content.rankings else None
    )
    if ranking is None:
        parts = (SummaryPart("What we asked", ("Nobody has answered yet.",)),)
        return "What we asked", w.title, parts, False
    rnd = ranking.round
    top = tuple(titles.get(r.name, r.name) for r in ranking.rows if r.in_top)
    parts = (
        SummaryPart(
            "What we asked",
            (f"We asked people to say how much each of {rnd.priorities} ideas matters.",),
        ),
        SummaryPart(
            "Who took part",
            (f"{_people(rnd.respondents)} took part. Thank you!",),
            tuple(f"{g.group or 'No group'}: {_people(g.count)}" for g in rnd.by_group),
        ),
        SummaryPart("What came out on top", (f"These {len(top)} came out on top:",), top, numbered=True),
        SummaryPart("What happens next", NEXT_AFTER_ROUND),
    )
    return "What people told us", w.title, parts, False


def summary_page(content: ExportContent) -> SummaryPage:
    title, subtitle, parts, young = _parts(content)
    page = SummaryPage(title, subtitle, parts, readability(()))
    target = YOUNG_PEOPLE_TARGET if young else GENERAL_TARGET
    return SummaryPage(title, subtitle, parts, readability(page.texts, target))


STYLE = """
@page { size: A4; margin: 18mm; }
* { box-sizing: border-box; }
body { font: 13pt/1.5 Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #1a1a1a; max-width: 210mm;
  margin: 0 auto; padding: 14mm; background: #fff; }
h1 { font-size: 24pt; color: #1f3a5f; margin: 0 0 1mm; }
.subtitle { margin: 0 0 6mm; color: #444; }
h2 { font-size: 15pt; color: #1f3a5f; margin: 6mm 0 1mm; }
p, li { margin: 0 0 1.5mm; }
ol, ul { margin: 0 0 2mm; padding-left: 8mm; }
footer { margin-top: 8mm; border-top: 1px solid #c9d3df; padding-top: 2mm; font-size: 9.5pt; color: #444; }
@media print { body { padding: 0; } section, li { break-inside: avoid; } }
"""


def render_summary(content: ExportContent) -> bytes:
    """The summary page as one self-contained HTML file (no scripts, no requests; prints to one A4 page)."""
    page = summary_page(content)
    sections = []
    for part in page.parts:
        children: list[Markup] = [tag("h2", part.heading), *(tag("p", s) for s in part.sentences)]
        if part.items:
            children.append(tag("ol" if part.numbered else "ul", *(tag("li", i) for i in part.items)))
        sections.append(tag("section", *children))
    reading = page.reading
    footer = tag(
        "footer",
        tag("p", reading.summary),
        tag("p", f"Made by Prioritise on {content.generated_at:%d %B %Y}. It names nobody."),
    )
    body = tag("body", tag("h1", page.title), tag("p", page.subtitle, class_="subtitle"), *sections, footer)
    return html_document(f"{page.title}: {page.subtitle}", STYLE, body)


__all__ = ["SummaryPage", "render_summary", "summary_page"]
