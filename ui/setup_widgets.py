"""The setup page's parts: details, priorities, criteria and their scale
descriptors, stakeholder groups, shortlist size, the weighting round,
imports and the good-practice checks.

Each editable table is an ``st.data_editor`` keyed by a tag of the saved
content, so a successful save (which changes the content) starts a fresh
editor, while a refused save keeps the facilitator's edits on screen.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd
import streamlit as st

from ranking.setup_checks import CorrelatedPair, correlated_criteria, too_many_criteria
from ui import state
from ui.plain import md
from ui.services import service
from ui.session import FacilitatorSession, guard
from workshop.errors import InvalidInput, NoResultsYet
from workshop.imports import ImportResult, RowError
from workshop.models import (
    Criterion,
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    RoundState,
    Workshop,
    WorkshopDetails,
)
from workshop.results import ScoringResults

T = TypeVar("T")

PRIORITY_COLUMNS = ("name", "theme", "description", "evidence", "plain_title", "plain_sentence")
CRITERION_COLUMNS = ("name", "description", "direction", "min", "max", "weight")
GROUP_COLUMNS = ("name", "description")
UPLOAD_TYPES = ["csv", "xlsx"]


# --------------------------------------------------------------------------- shared bits


def flash() -> None:
    """Show (once) the note an action left before rerunning."""
    message = st.session_state.pop(state.FLASH, None)
    if message:
        st.toast(message, icon="✅")


def done(message: str) -> None:
    """Leave a note for the next run and rerun, so every part shows the saved state."""
    st.session_state[state.FLASH] = message
    st.rerun()


def show_row_errors(what: str, errors: Sequence[RowError]) -> None:
    """Every problem in a file, with its spreadsheet row (the header is row 1)."""
    if not errors:
        return
    lines = "\n".join(f"- {error}" for error in errors)
    st.error(f"The {what} has {len(errors)} problem{'s' if len(errors) > 1 else ''}:\n\n{lines}")


def content_tag(items: object) -> str:
    """A short fingerprint of saved content, for widget keys that must reset when it changes."""
    return hashlib.sha256(repr(items).encode()).hexdigest()[:10]


# --------------------------------------------------------------------------- tables to specs


@dataclass(frozen=True)
class Rows(Generic[T]):
    """What an edited table means: the specs of its filled rows, or the
    problems that stop it being saved (each naming its row)."""

    specs: tuple[T, ...]
    problems: tuple[str, ...]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _rows(frame: pd.DataFrame, columns: Sequence[str], build: Callable[[dict[str, object]], T]) -> Rows[T]:
    """Build one spec per filled row; rows with nothing in them are ignored."""
    specs: list[T] = []
    problems: list[str] = []
    for number, (_, row) in enumerate(frame.iterrows(), start=1):
        cells = {c: row.get(c) for c in columns}
        if not any(_text(v) for v in cells.values()):
            continue
        try:
            specs.append(build(cells))
        except (InvalidInput, ValueError, TypeError) as error:
            message = error.message if isinstance(error, InvalidInput) else str(error)
            problems.append(f"Row {number}: {message}")
    return Rows(tuple(specs), tuple(problems))


def priority_rows(frame: pd.DataFrame) -> Rows[PrioritySpec]:
    return _rows(
        frame,
        PRIORITY_COLUMNS,
        lambda c: PrioritySpec(*(_text(c[column]) for column in PRIORITY_COLUMNS)),
    )


def criterion_rows(frame: pd.DataFrame, existing: Sequence[Criterion]) -> Rows[CriterionSpec]:
    """Criteria from the table; a criterion that keeps its name and scale
    keeps its descriptors, and one that keeps its name keeps its weight."""
    saved = {c.name.casefold(): c for c in existing}

    def build(cells: dict[str, object]) -> CriterionSpec:
        name = _text(cells["name"])
        before = saved.get(name.casefold())
        low, high = _number(cells["min"]), _number(cells["max"])
        low = 1 if low is None else low
        high = 5 if high is None else high
        if low != int(low) or high != int(high):
            raise InvalidInput(f"Criterion '{name}': the scale minimum and maximum must be whole numbers.")
        same_scale = before is not None and (before.scale_min, before.scale_max) == (int(low), int(high))
        return CriterionSpec(
            name,
            _text(cells["description"]),
            _text(cells["direction"]) or "benefit",
            int(low),
            int(high),
            before.descriptors if same_scale and before is not None else (),
            before.weight if before is not None else 1.0,
        )

    return _rows(frame, CRITERION_COLUMNS, build)


def group_rows(frame: pd.DataFrame) -> Rows[GroupSpec]:
    return _rows(frame, GROUP_COLUMNS, lambda c: GroupSpec(_text(c["name"]), _text(c["description"])))


def criterion_specs(criteria: Sequence[Criterion], descriptors: Sequence[Sequence[str]]) -> list[CriterionSpec]:
    """The saved criteria as specs, with new descriptors."""
    return [
        CriterionSpec(c.name, c.description, c.direction, c.scale_min, c.scale_max, tuple(d), c.weight)
        for c, d in zip(criteria, descriptors, strict=True)
    ]


def refused(rows: Rows[Any]) -> bool:
    """Whether an edited table's rows are refused: then every problem is shown, and nothing is to be saved."""
    if rows.problems:
        st.error("Nothing was saved. Fix these rows first:\n\n" + "\n".join(f"- {p}" for p in rows.problems))
    return bool(rows.problems)


def save_rows(
    rows: Rows[T], what: str, save: Callable[[str, int, tuple[T, ...]], object], session: FacilitatorSession, saved: str
) -> None:
    """Save an edited table's rows, or say which rows are wrong and save nothing."""
    if refused(rows):
        return
    with guard(f"Saving the {what}"):
        save(session.key, session.workshop_id, rows.specs)
        done(saved.format(len(rows.specs)))


# --------------------------------------------------------------------------- sections


def locked_note(workshop: Workshop) -> None:
    opened = [r for r in workshop.rounds if r.opened_at is not None]
    which = f" when {opened[0].short_label} opened" if opened else ""
    st.info(
        f"**The setup is locked**{which}: participants have answered about these priorities, criteria, scales "
        "and groups, so changing them now would change the meaning of their answers. The tables below are "
        "read-only. You can still edit the workshop's details, and run follow-up rounds on the Live page.",
        icon="🔒",
    )


def details_form(session: FacilitatorSession, workshop: Workshop) -> None:
    with st.form("setup_details_form"):
        title = st.text_input("Title", value=workshop.title, max_chars=200, key=state.SETUP_TITLE)
        organisation = st.text_input("Organisation", value=workshop.organisation, key=state.SETUP_ORGANISATION)
        when = st.date_input("Date of the workshop", value=workshop.date, key=state.SETUP_DATE, format="DD/MM/YYYY")
        description = st.text_area(
            "Description (shown to participants when they join)",
            value=workshop.description,
            key=state.SETUP_DESCRIPTION,
        )
        if st.form_submit_button("Save details", key=state.SETUP_SAVE_DETAILS, type="primary"):
            with guard("Saving the details"):
                details = WorkshopDetails(title, organisation, when or None, description)
                service().update_details(session.key, session.workshop_id, details)
                done("Details saved.")


def list_editor(
    frame: pd.DataFrame,
    key: str,
    locked: bool,
    columns: Mapping[str, Any],
    *,
    disabled: list[str] | None = None,
    order: list[str] | None = None,
) -> pd.DataFrame:
    """A setup list's table: rows may be added and deleted, and every cell but the ``disabled``
    columns' edited, until the setup locks."""
    return st.data_editor(
        frame,
        num_rows="fixed" if locked else "dynamic",
        disabled=True if locked else (disabled or False),
        hide_index=True,
        column_order=order,
        key=key,
        column_config=dict(columns),
    )


def priorities_editor(session: FacilitatorSession, workshop: Workshop, locked: bool) -> None:
    frame = pd.DataFrame(
        [tuple(getattr(p, column) for column in PRIORITY_COLUMNS) for p in workshop.priorities],
        columns=list(PRIORITY_COLUMNS),
    )
    st.caption(
        f"{len(workshop.priorities)} priorities. Add rows at the bottom; select rows and press Delete to remove them."
    )
    edited = list_editor(
        frame,
        f"{state.SETUP_PRIORITIES_EDITOR_}{content_tag(workshop.priorities)}",
        locked,
        {
            "name": st.column_config.TextColumn("Priority", required=True, max_chars=200),
            "theme": st.column_config.TextColumn("Theme (e.g. ECM outcome)"),
            "description": st.column_config.TextColumn("Description", width="large"),
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "plain_title": st.column_config.TextColumn(
                "Plain title (young people's ballot)",
                max_chars=200,
                help="Optional: what a young people's ballot calls it.",
            ),
            "plain_sentence": st.column_config.TextColumn(
                "Plain sentence", width="large", help="Optional: one short sentence a young people's ballot shows."
            ),
        },
    )
    if not locked and st.button("Save priorities", key=state.SETUP_SAVE_PRIORITIES, type="primary"):
        save_rows(priority_rows(edited), "priorities", service().set_priorities, session, "{} priorities saved.")


def criteria_editor(session: FacilitatorSession, workshop: Workshop, locked: bool) -> None:
    frame = pd.DataFrame(
        [(c.name, c.description, c.direction.value, c.scale_min, c.scale_max, c.weight) for c in workshop.criteria],
        columns=list(CRITERION_COLUMNS),
    )
    edited = list_editor(
        frame,
        f"{state.SETUP_CRITERIA_EDITOR_}{content_tag(workshop.criteria)}",
        locked,
        disabled=["weight"],
        order=["name", "direction", "min", "max", "weight", "description"],
        columns={
            "name": st.column_config.TextColumn("Criterion", required=True, max_chars=200),
            "description": st.column_config.TextColumn("What it means", width="medium"),
            "direction": st.column_config.SelectboxColumn(
                "Direction", options=["benefit", "cost"], default="benefit", help="Benefit: higher scores are better."
            ),
            "min": st.column_config.NumberColumn("Scale from", min_value=0, max_value=10, step=1, default=1),
            "max": st.column_config.NumberColumn("Scale to", min_value=1, max_value=11, step=1, default=5),
            "weight": st.column_config.NumberColumn("Weight (set below)", format="%.3g"),
        },
    )
    if not locked and st.button("Save criteria", key=state.SETUP_SAVE_CRITERIA, type="primary"):
        saved = "{} criteria saved. Check their scale descriptors and weights below."
        save_rows(criterion_rows(edited, workshop.criteria), "criteria", service().set_criteria, session, saved)


def descriptors_form(session: FacilitatorSession, workshop: Workshop, tag: str, locked: bool) -> None:
    """One descriptor per scale point, so every participant reads "3" the same way."""
    if not workshop.criteria:
        return
    with st.form("setup_descriptors_form", border=False):
        descriptors = []
        for c in workshop.criteria:
            missing = sum(not d for d in c.descriptors)
            note = f" — {missing} blank" if missing else ""
            with st.expander(f"{md(c.name)} ({c.scale_min}–{c.scale_max}, {c.direction.value}){note}"):
                descriptors.append(
                    [
                        st.text_input(
                            f"{point}"
                            + (" (lowest)" if point == c.scale_min else " (highest)" if point == c.scale_max else ""),
                            value=text,
                            disabled=locked,
                            key=f"{state.SETUP_DESCRIPTOR_}{tag}_{c.id}_{point}",
                        )
                        for point, text in zip(c.scale_points, c.descriptors, strict=True)
                    ]
                )
        saved = st.form_submit_button("Save descriptors", key=state.SETUP_SAVE_DESCRIPTORS, disabled=locked)
    if saved:
        with guard("Saving the descriptors"):
            service().set_criteria(session.key, session.workshop_id, criterion_specs(workshop.criteria, descriptors))
            done("Scale descriptors saved.")


def groups_editor(session: FacilitatorSession, workshop: Workshop, locked: bool) -> None:
    frame = pd.DataFrame([(g.name, g.description) for g in workshop.groups], columns=list(GROUP_COLUMNS))
    st.caption(
        "Participants choose their group when they join, so results can be balanced across partners "
        "and disagreements between groups shown. Leave empty for no groups."
    )
    edited = list_editor(
        frame,
        f"{state.SETUP_GROUPS_EDITOR_}{content_tag(workshop.groups)}",
        locked,
        {
            "name": st.column_config.TextColumn("Stakeholder group", required=True, max_chars=200),
            "description": st.column_config.TextColumn("Who is in it", width="large"),
        },
    )
    if not locked and st.button("Save groups", key=state.SETUP_SAVE_GROUPS, type="primary"):
        save_rows(group_rows(edited), "groups", service().set_groups, session, "{} stakeholder groups saved.")


def shortlist_form(session: FacilitatorSession, workshop: Workshop, locked: bool) -> None:
    size = st.number_input(
        "Places on the shortlist",
        min_value=1,
        max_value=max(1, len(workshop.priorities), workshop.shortlist_size),
        value=workshop.shortlist_size,
        step=1,
        disabled=locked,
        key=state.SETUP_SHORTLIST_SIZE,
        help="How many priorities the workshop will agree (the top k highlighted in the results).",
    )
    if (
        not locked
        and size != workshop.shortlist_size
        and st.button("Save shortlist size", key=state.SETUP_SAVE_SHORTLIST)
    ):
        with guard("Saving the shortlist size"):
            service().set_shortlist_size(session.key, session.workshop_id, int(size))
            done(f"The shortlist now has {int(size)} places.")


def weighting_round_control(session: FacilitatorSession, workshop: Workshop, locked: bool) -> None:
    weighting = [r for r in workshop.rounds if r.kind is RoundKind.WEIGHTING]
    if weighting:
        names = ", ".join(r.short_label for r in weighting)
        st.write(f"✔️ {names}: participants share 100 points across the criteria; open it before the scoring round.")
        return
    st.write("No weighting round: the criteria's weights are the ones set above.")
    if locked:
        return
    if st.button("Add a weighting round", key=state.SETUP_ADD_WEIGHTING_ROUND):
        with guard("Adding the weighting round"):
            rnd = service().add_round(session.key, session.workshop_id, RoundKind.WEIGHTING, "Weighting the criteria")
            done(f"{rnd.short_label} is a weighting round. Open it first on the Live page.")


def imports_section(session: FacilitatorSession, locked: bool) -> None:
    st.caption(
        "Replace the priorities or the criteria from a CSV or Excel file (the same columns as on the Start page). "
        "A file with any problem changes nothing; every problem is listed with its row number."
    )
    priorities_file = st.file_uploader(
        "Priorities file", type=UPLOAD_TYPES, key=state.SETUP_IMPORT_PRIORITIES, disabled=locked
    )
    criteria_file = st.file_uploader(
        "Criteria file", type=UPLOAD_TYPES, key=state.SETUP_IMPORT_CRITERIA, disabled=locked
    )
    if locked or not st.button("Import", key=state.SETUP_IMPORT, disabled=not (priorities_file or criteria_file)):
        return
    results: list[ImportResult] = []
    with guard("Importing"):
        if priorities_file is not None:
            results.append(
                service().import_priorities(
                    session.key, session.workshop_id, priorities_file.getvalue(), priorities_file.name
                )
            )
        if criteria_file is not None:
            results.append(
                service().import_criteria(
                    session.key, session.workshop_id, criteria_file.getvalue(), criteria_file.name
                )
            )
    for result in results:
        show_row_errors(f"{result.what} file", result.errors)
    applied = [f"{r.count} {r.what}" for r in results if r.applied]
    notes = "".join(f" {note}" for r in results if r.applied for note in r.notes)  # e.g. the scale assumed
    if applied and len(applied) == len(results):
        done("Imported " + " and ".join(applied) + "." + notes)
    elif applied:
        st.success("Imported " + " and ".join(applied) + "; the other file changed nothing." + notes)


# --------------------------------------------------------------------------- good-practice checks


@dataclass(frozen=True)
class CorrelationCheck:
    """The double-counting check for one version of the workshop."""

    workshop_id: int
    version: int
    round_label: str | None  # the scoring round whose matrix was checked
    pairs: tuple[CorrelatedPair, ...]


def _correlation_check(session: FacilitatorSession, workshop: Workshop) -> CorrelationCheck:
    """Check the latest scoring round with answers (cached until the workshop changes)."""
    cached = st.session_state.get(state.SETUP_CORRELATION)
    if cached is not None and (cached.workshop_id, cached.version) == (workshop.id, workshop.version):
        return cached
    check = CorrelationCheck(workshop.id, workshop.version, None, ())
    scoring = [r for r in workshop.rounds if r.kind is RoundKind.SCORING and r.state is not RoundState.DRAFT]
    for rnd in reversed(scoring):
        try:
            results = service().results(session.key, rnd.id)
        except NoResultsYet:
            continue
        assert isinstance(results, ScoringResults)
        ranking = results.ranking
        check = CorrelationCheck(
            workshop.id, workshop.version, rnd.short_label, correlated_criteria(ranking.matrix, ranking.criterion_names)
        )
        break
    st.session_state[state.SETUP_CORRELATION] = check
    return check


def good_practice(session: FacilitatorSession, workshop: Workshop) -> None:
    """Warnings from the MCDA good-practice guides: few criteria, no double counting."""
    many = too_many_criteria(len(workshop.criteria))
    if many:
        st.warning(many, icon="⚠️")
    check = _correlation_check(session, workshop)
    if check.pairs:
        pairs = "\n".join(f"- {pair}" for pair in check.pairs)
        st.warning(
            f"**Possible double counting.** In {check.round_label}, the room's scores on these criteria rise and fall "
            f"together across the priorities:\n\n{pairs}\n\nIf they measure the same thing, that thing counts twice; "
            "consider merging them or lowering their combined weight.",
            icon="⚠️",
        )
    elif check.round_label is None:
        st.caption("Double counting between criteria is checked once a scoring round has answers.")
