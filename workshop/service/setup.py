"""Editing a workshop's setup: details, priorities, criteria, groups, shortlist size, ranking and weights."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ranking.methods import RankingOptions
from ranking.robustness import RobustnessOptions, robustness_text
from workshop.errors import InvalidInput, SetupLocked
from workshop.imports import ImportResult, Parsed, RowError, parse_criteria, parse_priorities
from workshop.models import (
    CriterionSpec,
    CriterionWeight,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    RoundState,
    WeightMethod,
    Workshop,
    WorkshopDetails,
    check_lists,
    check_shortlist_size,
    criterion_weight,
    finite_number,
    workshop_ranking,
    workshop_robustness,
)
from workshop.results import WeightingResults
from workshop.service.base import FACILITATOR, SETUP_LOCKED, ServiceBase, T, _parse_enum
from workshop.store import Transaction


def _keep_swings(workshop: Workshop, specs: tuple[CriterionSpec, ...]) -> tuple[CriterionSpec, ...]:
    """The specs, each keeping its stored swing where the workshop's weights are set by swing and the
    criterion keeps its name and weight (a spec that gives its own swing keeps that)."""
    if workshop.weight_method is not WeightMethod.SWING:
        return specs
    stored = {c.name: c for c in workshop.criteria}
    kept = []
    for spec in specs:
        old = stored.get(spec.name)
        if spec.swing is None and old is not None and old.swing is not None and abs(old.weight - spec.weight) < 1e-9:
            spec = replace(spec, swing=old.swing)
        kept.append(spec)
    return tuple(kept)


class SetupMixin(ServiceBase):
    def update_details(self, key: str, workshop_id: int, details: WorkshopDetails) -> Workshop:
        """Title, organisation, date and description: editable at any time."""
        with self._editing_workshop(key, workshop_id) as (tx, now):
            tx.update_details(workshop_id, details)
            tx.audit(workshop_id, now, FACILITATOR, "details edited", f"title '{details.title}'")
            return self._load(tx, workshop_id)

    def set_priorities(self, key: str, workshop_id: int, priorities: Sequence[PrioritySpec]) -> Workshop:
        """Replace the list of priorities (setup only).  A priority whose name
        is unchanged keeps its id; draft rounds that covered every priority
        still do."""
        specs = tuple(priorities)
        check_lists(specs, (), ())

        def edit(tx: Transaction) -> str:
            shortlist_size = self._load(tx, workshop_id).shortlist_size
            if specs and len(specs) < shortlist_size:
                raise InvalidInput(
                    f"The list has {len(specs)} priorities but the shortlist has {shortlist_size} places; "
                    "make the shortlist smaller first."
                )
            before = {p.id for p in tx.priorities(workshop_id)}
            covering_all = [
                r for r in tx.rounds(workshop_id) if r.kind is not RoundKind.WEIGHTING and set(r.priority_ids) == before
            ]
            count = tx.save_priorities(workshop_id, specs)
            after = [p.id for p in tx.priorities(workshop_id)]
            for rnd in covering_all:
                tx.set_round_priorities(rnd.id, after)
            return f"priorities: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_criteria(self, key: str, workshop_id: int, criteria: Sequence[CriterionSpec]) -> Workshop:
        specs = tuple(criteria)
        check_lists((), specs, ())

        def edit(tx: Transaction) -> str:
            workshop = self._load(tx, workshop_id)
            saved = _keep_swings(workshop, specs)
            count = tx.save_criteria(workshop_id, saved)
            if workshop.weight_method is WeightMethod.SWING and any(c.swing is None for c in saved):
                tx.set_weight_method(workshop_id, WeightMethod.DIRECT)  # the swings no longer give these weights
                tx.set_swings((c.id, None) for c in tx.criteria(workshop_id))
            return f"criteria: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_groups(self, key: str, workshop_id: int, groups: Sequence[GroupSpec]) -> Workshop:
        """Replace the stakeholder groups; a group someone has joined stays."""
        specs = tuple(groups)
        check_lists((), (), specs)

        def edit(tx: Transaction) -> str:
            wanted = {g.name for g in specs}
            for name in tx.groups_in_use(workshop_id):
                if name not in wanted:
                    raise InvalidInput(f"The group '{name}' cannot be removed: participants have joined it.")
            for name in tx.groups_leading(workshop_id):
                if name not in wanted:
                    raise InvalidInput(f"The group '{name}' cannot be removed: it leads an indicator of the plan.")
            count = tx.save_groups(workshop_id, specs)
            return f"groups: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_shortlist_size(self, key: str, workshop_id: int, shortlist_size: int) -> Workshop:
        def edit(tx: Transaction) -> str:
            value = check_shortlist_size(shortlist_size, len(tx.priorities(workshop_id)))
            tx.set_shortlist_size(workshop_id, value)
            return f"shortlist size: {value}"

        return self._edit_setup(key, workshop_id, edit)

    def set_ranking_options(self, key: str, workshop_id: int, options: RankingOptions) -> Workshop:
        """Store how the workshop's scoring rounds are ranked: the method, mean
        or median, and whether each stakeholder group counts equally.  The
        Results page opens with these, and the Agree page, the projector,
        participants' results and every export rank with them.  Facilitator
        only; allowed at any time (it changes no answer, only how answers are
        combined), and recorded in the audit log."""
        ranking = workshop_ranking(options)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            if ranking.balance_groups and not tx.groups(workshop_id):
                raise InvalidInput("This workshop has no stakeholder groups, so none can be made to count equally.")
            tx.set_ranking(workshop_id, ranking)
            balanced = ", each stakeholder group counting equally" if ranking.balance_groups else ""
            detail = f"{ranking.method.label} of the room's {ranking.aggregation.value} scores{balanced}"
            tx.audit(workshop_id, now, FACILITATOR, "ranking method set", detail)
            return self._load(tx, workshop_id)

    def set_robustness_options(self, key: str, workshop_id: int, options: RobustnessOptions) -> Workshop:
        """Store the workshop's robustness settings: where SMAA's weight vectors
        come from, how many, the seed and the concentration; the bootstrap's
        resamples and seed.  The Results page shows them and every export uses
        them, so the board paper states the figures the room saw.  Facilitator
        only, allowed at any time, bounded (``workshop_robustness``) and
        recorded in the audit log."""
        robustness = workshop_robustness(options)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            tx.set_robustness(workshop_id, robustness)
            tx.audit(workshop_id, now, FACILITATOR, "robustness settings set", robustness_text(robustness))
            return self._load(tx, workshop_id)

    def set_weights(
        self, key: str, workshop_id: int, weights: Sequence[CriterionWeight], method: WeightMethod | str
    ) -> Workshop:
        """Set some or all criteria's weights and record how they were set."""
        how = _parse_enum(WeightMethod, method, "weighting method")
        given = [(w.criterion_id, finite_number(w.weight, "weight")) for w in weights]
        if any(value < 0 for _, value in given):
            raise InvalidInput("Weights must not be negative.")
        if len({cid for cid, _ in given}) != len(given):
            raise InvalidInput("A criterion was given two weights.")

        def edit(tx: Transaction) -> str:
            criteria = {c.id: c for c in tx.criteria(workshop_id)}
            unknown = [cid for cid, _ in given if cid not in criteria]
            if unknown:
                raise InvalidInput("That criterion is not part of this workshop.")
            for cid, value in given:
                criterion_weight(value, criteria[cid].name)
            final = {cid: c.weight for cid, c in criteria.items()} | dict(given)
            if sum(final.values()) <= 0:
                raise InvalidInput("At least one criterion needs a weight above zero.")
            if how is WeightMethod.SWING:
                raise InvalidInput("Swing weights are set from the swings themselves (set_swing_weights).")
            tx.set_weights(given)
            tx.set_swings((cid, None) for cid in criteria)
            tx.set_weight_method(workshop_id, how)
            return f"weights ({how.value}): " + ", ".join(f"{criteria[cid].name} {w:g}" for cid, w in given)

        return self._edit_setup(key, workshop_id, edit)

    def adopt_room_weights(self, key: str, round_id: int) -> Workshop:
        """Make a closed weighting round's room weights the criteria's weights
        (method "participants").  Allowed after setup is locked: the weights
        change no answer, only how answers are combined; the audit log
        records it."""
        with self._editing_round(key, round_id) as (tx, rnd, now):
            workshop_id = rnd.workshop_id
            if rnd.kind is not RoundKind.WEIGHTING:
                raise InvalidInput(f"{rnd.short_label} is not a weighting round.")
            if rnd.state not in (RoundState.CLOSED, RoundState.REVEALED):
                raise InvalidInput(f"Close {rnd.short_label} before adopting its weights.")
            result = self._results(tx, rnd, RankingOptions())
            assert isinstance(result, WeightingResults)
            room = result.room
            tx.set_weights((c.id, float(w)) for c, w in zip(room.criteria, room.weights, strict=True))
            tx.set_swings((c.id, None) for c in room.criteria)
            tx.set_weight_method(workshop_id, WeightMethod.PARTICIPANTS)
            detail = ", ".join(f"{c.name} {w:.3f}" for c, w in zip(room.criteria, room.weights, strict=True))
            tx.audit(workshop_id, now, FACILITATOR, "weights adopted", f"from {rnd.label}: {detail}")
            return self._load(tx, workshop_id)

    @staticmethod
    def _apply_import(what: str, parsed: Parsed[T], apply: Callable[[tuple[T, ...]], Workshop]) -> ImportResult:
        """Store the parsed list if it has no errors; report every error either way."""
        errors = parsed.errors
        if parsed.ok:
            try:
                apply(parsed.items)
            except SetupLocked:
                raise
            except InvalidInput as exc:
                errors = tuple(RowError(None, p) for p in exc.problems or (exc.message,))
        return ImportResult(what, len(parsed.items), errors, applied=not errors, notes=() if errors else parsed.notes)

    def import_priorities(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        """Replace the priorities from a CSV or XLSX file.  Returns every row
        error; nothing changes unless the file has none."""
        self._check_importable(key, workshop_id)
        parsed = parse_priorities(data, filename)
        return self._apply_import("priorities", parsed, lambda items: self.set_priorities(key, workshop_id, items))

    def import_criteria(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        self._check_importable(key, workshop_id)
        parsed = parse_criteria(data, filename)
        return self._apply_import("criteria", parsed, lambda items: self.set_criteria(key, workshop_id, items))

    def _check_importable(self, key: str, workshop_id: int) -> None:
        """Refuse a wrong key or a locked setup before reading the file."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            if tx.setup_locked(workshop_id):
                raise SetupLocked(SETUP_LOCKED)
