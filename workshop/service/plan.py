"""The plan after the workshop: the agreed priorities' indicators, their actuals, status settings, leads' links.

Two kinds of caller:

* the facilitator, with the workshop's key, may do everything here: set the indicators (replacing
  the list; an unchanged name keeps its actuals), enter or import actuals, set the status rule's
  thresholds, and issue or withdraw a lead's link for an agreed priority;
* a lead, with the token of their link (``lead_token``), may read their one priority's indicators
  and save actual values and commentary for them, and nothing else: no other priority's indicators,
  no indicator's definition, baseline or target, no facilitator method (a lead's token is not a
  key).  Every refusal says why; nothing changes.

Indicators belong to the agreed priorities of the workshop's latest decision, so there is no plan
before a decision.  Every write bumps the workshop's version and is written to the audit log
("facilitator", or "lead", whose priority the detail names).  ARCHITECTURE.md §3 ("The plan").
"""

from __future__ import annotations

from collections.abc import Sequence

from ranking.indicator_status import StatusSettings
from ranking.model import RankingInputError
from workshop.errors import InvalidInput, PermissionDenied
from workshop.imports import ImportResult
from workshop.models import (
    ActualSpec,
    IndicatorSpec,
    LeadLink,
    LeadView,
    Plan,
    Priority,
    indicator_problems,
    parse_period,
)
from workshop.plan_imports import parse_actuals, parse_indicators
from workshop.progress import priority_progress
from workshop.security import MAX_TOKEN_INPUT, hash_token, new_participant_token
from workshop.service.base import FACILITATOR, ServiceBase
from workshop.service.boundary import WRONG_LEAD_LINK
from workshop.store import Transaction

NO_DECISION = "Record the agreed priorities first: a plan's indicators belong to the agreed priorities."


#: The audit log's and the actuals' author for a lead's link (which priority follows from the indicator).
LEAD = "lead"


class PlanMixin(ServiceBase):
    # ================================================================== reading

    def plan(self, key: str, workshop_id: int) -> Plan:
        """The workshop's plan: agreed priorities, indicators, actuals, status settings, groups."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return self._plan(tx, workshop_id)

    @classmethod
    def _plan(cls, tx: Transaction, workshop_id: int) -> Plan:
        workshop = cls._load(tx, workshop_id)
        return Plan(
            workshop_id,
            workshop.title,
            cls._agreed(tx, workshop_id),
            tx.indicators(workshop_id),
            tx.actuals(workshop_id),
            tx.plan_settings(workshop_id),
            tuple(g.name for g in workshop.groups),
        )

    @staticmethod
    def _agreed(tx: Transaction, workshop_id: int) -> tuple[Priority, ...]:
        """The latest decision's shortlist, in its order (empty before a decision)."""
        decision = tx.latest_decision(workshop_id)
        if decision is None:
            return ()
        by_id = {p.id: p for p in tx.priorities(workshop_id)}
        return tuple(by_id[e.priority_id] for e in decision.shortlist if e.priority_id in by_id)

    # ================================================================== the facilitator's writes

    def set_indicators(self, key: str, workshop_id: int, indicators: Sequence[IndicatorSpec]) -> Plan:
        """Replace the plan's indicators.  Each names an agreed priority and a lead partner (one of
        the stakeholder groups); names are unique.  An indicator whose name is unchanged keeps its
        actuals; one left out loses them.  Every problem is listed, naming the indicator.  (After a
        new decision drops a priority, its indicators stay in ``Plan.indicators`` but out of the
        status; saving them again is refused until they are removed or moved to an agreed priority.)"""
        specs = tuple(indicators)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            agreed = self._agreed(tx, workshop_id)
            if not agreed:
                raise InvalidInput(NO_DECISION)
            groups = tx.groups(workshop_id)
            found = indicator_problems(specs, [p.name for p in agreed], [g.name for g in groups])
            if found:
                problems = tuple(text for _, text in found)
                raise InvalidInput(problems[0], problems)
            priority_ids = {p.name.casefold(): p.id for p in agreed}
            group_ids = {g.name.casefold(): g.id for g in groups}
            placed = [
                (spec, priority_ids[spec.priority.casefold()], group_ids[spec.lead.casefold()] if spec.lead else None)
                for spec in specs
            ]
            count = tx.save_indicators(workshop_id, placed)
            detail = f"indicators: {len(specs)} ({count.added} added, {count.removed} removed)"
            tx.audit(workshop_id, now, FACILITATOR, "indicators set", detail)
            return self._plan(tx, workshop_id)

    def save_actuals(self, key: str, workshop_id: int, actuals: Sequence[ActualSpec]) -> Plan:
        """Enter or replace actual values (one per indicator and period) of any of the plan's indicators."""
        entries = tuple(actuals)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            plan = self._plan(tx, workshop_id)
            self._check_actuals(plan, entries)
            for entry in entries:
                tx.save_actual(entry.indicator_id, entry.parsed_period, entry.value, entry.commentary, now, FACILITATOR)
            tx.audit(workshop_id, now, FACILITATOR, "actuals saved", self._actuals_detail(plan, entries))
            return self._plan(tx, workshop_id)

    @staticmethod
    def _actuals_detail(plan: Plan, entries: Sequence[ActualSpec]) -> str:
        names = {i.id: i.name for i in plan.indicators}
        shown = "; ".join(f"{names[e.indicator_id]} {e.period} = {e.value:g}" for e in entries[:10])
        more = f" and {len(entries) - 10} more" if len(entries) > 10 else ""
        return f"{len(entries)} value{'s' if len(entries) != 1 else ''}: {shown}{more}"

    @staticmethod
    def _check_actuals(plan: Plan, entries: Sequence[ActualSpec], priority: Priority | None = None) -> None:
        """Refuse an unknown indicator (or, for a lead, one of another priority), a period given twice,
        and a period of the other kind than the indicator's actuals so far (quarters and months do not mix)."""
        if not entries:
            raise InvalidInput("No values were given.")
        by_id = {i.id: i for i in plan.indicators}
        seen: set[tuple[int, str]] = set()
        kinds = {i.id: {a.period.kind for a in plan.actuals_of(i.id)} for i in plan.indicators}
        for entry in entries:
            indicator = by_id.get(entry.indicator_id)
            if priority is not None and (indicator is None or indicator.priority_id != priority.id):
                raise PermissionDenied(
                    f"This link updates only the indicators of '{priority.name}'; that indicator is not one of them."
                )
            if indicator is None:
                raise InvalidInput("That indicator is not part of this workshop's plan.")
            if (entry.indicator_id, entry.period) in seen:
                raise InvalidInput(f"Indicator '{indicator.name}': {entry.period} is given twice.")
            seen.add((entry.indicator_id, entry.period))
            period = entry.parsed_period
            others = kinds[indicator.id] - {period.kind}
            if others:
                raise InvalidInput(
                    f"Indicator '{indicator.name}' is reported by {next(iter(others)).value}; "
                    f"{entry.period} is a {period.kind.value}. Give its values for the same kind of period."
                )
            kinds[indicator.id].add(period.kind)

    def remove_actual(self, key: str, workshop_id: int, indicator_id: int, period: str) -> Plan:
        """Remove one period's value of an indicator (facilitator only)."""
        when = parse_period(period)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            plan = self._plan(tx, workshop_id)
            indicator = plan.indicator(indicator_id)
            if indicator is None:
                raise InvalidInput("That indicator is not part of this workshop's plan.")
            if not tx.delete_actual(indicator_id, when):
                raise InvalidInput(f"Indicator '{indicator.name}' has no value for {when.label}.")
            tx.audit(workshop_id, now, FACILITATOR, "actual removed", f"{indicator.name} {when.label}")
            return self._plan(tx, workshop_id)

    def set_status_settings(self, key: str, workshop_id: int, settings: StatusSettings) -> Plan:
        """The status rule's thresholds for this workshop (``ranking.indicator_status.StatusSettings``)."""
        try:
            checked = StatusSettings(settings.tolerance, settings.progress)
        except RankingInputError as exc:
            raise InvalidInput(f"The status settings: {exc}.") from None
        with self._editing_workshop(key, workshop_id) as (tx, now):
            tx.set_plan_settings(workshop_id, checked)
            detail = f"tolerance {checked.tolerance:g}, progress {checked.progress:g} (shares of the planned change)"
            tx.audit(workshop_id, now, FACILITATOR, "status settings set", detail)
            return self._plan(tx, workshop_id)

    # ================================================================== imports

    def import_indicators(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        """Replace the plan's indicators from a CSV or XLSX file (``workshop.plan_imports``).  Every
        problem is returned naming its row; nothing changes unless there is none."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            agreed = [p.name for p in self._agreed(tx, workshop_id)]
            groups = [g.name for g in tx.groups(workshop_id)]
        if not agreed:
            raise InvalidInput(NO_DECISION)
        parsed = parse_indicators(data, filename, agreed, groups)
        if not parsed.ok:
            return ImportResult("indicators", len(parsed.items), parsed.errors, applied=False)
        self.set_indicators(key, workshop_id, parsed.items)
        return ImportResult("indicators", len(parsed.items), (), applied=True)

    def import_actuals(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        """Enter actual values from a CSV or XLSX file (``indicator, period, value[, commentary]``):
        each row adds or replaces one period's value.  Every problem is returned naming its row;
        nothing changes unless there is none."""
        plan = self.plan(key, workshop_id)
        parsed = parse_actuals(data, filename, plan)
        if not parsed.ok:
            return ImportResult("actual values", len(parsed.items), parsed.errors, applied=False)
        self.save_actuals(key, workshop_id, parsed.items)
        return ImportResult("actual values", len(parsed.items), (), applied=True)

    # ================================================================== leads' links

    def issue_lead_link(self, key: str, workshop_id: int, priority_id: int) -> LeadLink:
        """A new link for the lead of an agreed priority (its token is shown once; an earlier link for
        the priority stops working)."""
        self._authorise(key, workshop_id)
        now = self._clock()
        token = new_participant_token()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            priority = self._agreed_priority(tx, workshop_id, priority_id)
            tx.set_lead_link(workshop_id, priority.id, hash_token(token), now)
            tx.audit(workshop_id, now, FACILITATOR, "lead link issued", priority.name)
            return LeadLink(priority.id, priority.name, now, token)

    def revoke_lead_link(self, key: str, workshop_id: int, priority_id: int) -> None:
        """Withdraw the priority's lead link: it stops working at once."""
        with self._editing_workshop(key, workshop_id) as (tx, now):
            names = {p.id: p.name for p in tx.priorities(workshop_id)}
            if priority_id not in names or not tx.delete_lead_link(workshop_id, priority_id):
                raise InvalidInput("That priority has no lead link to withdraw.")
            tx.audit(workshop_id, now, FACILITATOR, "lead link withdrawn", names[priority_id])

    def lead_links(self, key: str, workshop_id: int) -> tuple[LeadLink, ...]:
        """Which priorities have a lead link and when it was issued (never the tokens)."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return tx.lead_links(workshop_id)

    @classmethod
    def _agreed_priority(cls, tx: Transaction, workshop_id: int, priority_id: int) -> Priority:
        agreed = cls._agreed(tx, workshop_id)
        if not agreed:
            raise InvalidInput(NO_DECISION)
        found = next((p for p in agreed if p.id == priority_id), None)
        if found is None:
            raise InvalidInput("That priority is not one of the agreed priorities.")
        return found

    # ================================================================== the lead's side

    @classmethod
    def _lead(cls, tx: Transaction, lead_token: str) -> tuple[Plan, Priority]:
        """The plan and the priority a lead's token is for; refused if the link is unknown or replaced,
        or its priority is no longer agreed."""
        given = isinstance(lead_token, str) and 0 < len(lead_token) <= MAX_TOKEN_INPUT
        found = tx.lead_link(hash_token(lead_token)) if given else None
        if found is None:
            raise PermissionDenied(WRONG_LEAD_LINK)
        workshop_id, priority_id = found
        plan = cls._plan(tx, workshop_id)
        priority = next((p for p in plan.agreed if p.id == priority_id), None)
        if priority is None:
            name = next((p.name for p in tx.priorities(workshop_id) if p.id == priority_id), "This priority")
            raise PermissionDenied(
                f"'{name}' is no longer one of the agreed priorities, so this link cannot update it."
            )
        return plan, priority

    def lead_view(self, lead_token: str) -> LeadView:
        """What a lead's link shows: their priority's indicators, actuals and status."""
        with self._store.read() as tx:
            plan, priority = self._lead(tx, lead_token)
            return LeadView(plan.workshop_id, plan.title, priority_progress(plan, priority), plan.settings)

    def lead_save_actuals(self, lead_token: str, actuals: Sequence[ActualSpec]) -> LeadView:
        """A lead enters or replaces actual values and commentary for their own priority's indicators;
        any indicator of another priority is refused, and then nothing is saved."""
        entries = tuple(actuals)
        now = self._clock()
        with self._store.read() as tx:
            workshop_id = self._lead(tx, lead_token)[0].workshop_id
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            plan, priority = self._lead(tx, lead_token)
            if plan.workshop_id != workshop_id:  # the link was replaced between the two transactions
                raise PermissionDenied(WRONG_LEAD_LINK)
            self._check_actuals(plan, entries, priority)
            actor = LEAD
            for entry in entries:
                tx.save_actual(entry.indicator_id, entry.parsed_period, entry.value, entry.commentary, now, actor)
            detail = f"for '{priority.name}': {self._actuals_detail(plan, entries)}"
            tx.audit(workshop_id, now, actor, "actuals saved", detail)
            plan = self._plan(tx, workshop_id)
            return LeadView(workshop_id, plan.title, priority_progress(plan, priority), plan.settings)
