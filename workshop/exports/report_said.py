"""The board paper's section for each consultation round that said something (a young people's ballot or
any round that reached beyond the room): what was asked, who took part, what came out on top, and the
one sentence each agreed priority carried as evidence."""

from __future__ import annotations

from workshop.ballot import BALLOT_QUESTION
from workshop.exports import blocks as paper
from workshop.exports.model import ExportContent
from workshop.exports.tables import INT, Column, Table
from workshop.said import ANSWERS_ON_CRITERIA, Said, evidence_sentence


def _table(found: Said) -> Table:
    if found.picks:
        note = "A priority nobody picked has no rank. Equal points share the better rank."
    elif found.ballot:
        note = "“Not sure” is not counted as an answer. Equal scores share the better rank."
    else:
        note = f"{ANSWERS_ON_CRITERIA} Equal scores share the better rank."
    titled = (Column("What the ballot called it"),) if found.ballot else ()  # a ballot's plain words
    return Table(
        f"consultation-round-{found.round.number}",
        (Column("Rank"), Column("Priority"), *titled, Column(found.answers_label, INT)),
        tuple((r.rank_text, r.name, *((r.title,) if found.ballot else ()), r.answers) for r in found.rows),
        note,
    )


def _asked(content: ExportContent, found: Said) -> str:
    rnd = found.round
    if not found.ballot:
        tallied = (
            "tallied as any ranking round's are, under the workshop's ballot rule"
            if found.picks
            else f"ranked with the workshop's method ({content.method})"
        )
        return f"{rnd.label} was a consultation. It asked: {found.question} Its answers were {tallied}."
    if found.picks:
        return (
            f"{rnd.label} was a young people's ballot: {len(found.rows)} priorities were shown in plain words on "
            f"one screen with one question, “{found.question}”. It asked for no names. The picks were "
            "tallied as any ranking round's are (favourite first), under the workshop's ballot rule."
        )
    return (
        f"{rnd.label} was a young people's ballot: each of {len(found.rows)} priorities was shown in plain "
        f"words with one question, “{BALLOT_QUESTION}”, and worded answers. It asked for no names. Its "
        f"answers were ranked with the workshop's method ({content.method}) on that one question."
    )


def consultation_section(content: ExportContent, found: Said, n: int) -> paper.Section:
    rnd = found.round
    groups = "; ".join(f"{group}: {count:,}" for group, count in found.by_group) or "none recorded"
    blocks: list[paper.Block] = [
        paper.Paragraph(_asked(content, found)),
        paper.Facts(
            (
                (found.people_label, f"{found.respondents:,}"),
                ("By group", groups),
                ("By age group (when given)", "; ".join(f"{b}: {n:,}" for b, n in found.by_age) or "none given"),
                ("Picks" if found.picks else "Answers", f"{found.answers:,}"),
                (found.top_words, "; ".join(r.name for r in found.top_rows) or "None"),
            )
        ),
        paper.TableBlock(_table(found), f"{found.heading}: {rnd.label}"),
    ]
    agreed = content.decision.shortlist if content.decision is not None else ()
    if agreed:
        ids = {p.name: p.id for p in content.priorities}
        lines = [(p.name, evidence_sentence(found, ids[p.name])) for p in agreed if p.name in ids]
        blocks.append(paper.Paragraph("How each agreed priority stood in this consultation:"))
        blocks.append(paper.Bullets(tuple(f"{name}: {line}" for name, line in lines if line)))
    return paper.Section(f"consultation-{rnd.number}", f"6.{n}", f"{found.heading}: {rnd.label}", tuple(blocks))
