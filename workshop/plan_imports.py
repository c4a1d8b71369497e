"""Reading the plan's indicators and actual values a facilitator uploads (CSV or XLSX), every problem naming its row.

The files' rules are ``ranking.plan_io``'s (the one parser); the upload's bounds and the reading of
CSV and workbooks are ``workshop.imports``'s, as for the setup lists.  Here: the workshop's own
rules, each problem with its spreadsheet row (the header is row 1) — an indicator's priority must
be an agreed one and its lead one of the stakeholder groups (``indicator_problems``); an actual's
indicator must be in the plan, and its periods all quarters or all months.  Nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ranking.io import FileProblem, Table
from ranking.plan_io import check_actuals, check_indicators
from workshop.errors import InvalidInput
from workshop.imports import Parsed, RowError, _read, _row_error
from workshop.models import ActualSpec, IndicatorSpec, Plan, indicator_problems


def _table(data: bytes, filename: str) -> Table | RowError:
    try:
        return _read(data, filename)
    except InvalidInput as exc:
        return RowError(None, exc.message)
    except FileProblem as exc:
        return _row_error(exc.problem)


def _sorted(errors: list[RowError]) -> tuple[RowError, ...]:
    return tuple(sorted(errors, key=lambda e: e.row or 0))


def parse_indicators(data: bytes, filename: str, agreed: Sequence[str], groups: Sequence[str]) -> Parsed[IndicatorSpec]:
    """The indicators of an upload, checked against the agreed priorities' and the groups' names."""
    table = _table(data, filename)
    if isinstance(table, RowError):
        return Parsed((), (table,))
    checked = check_indicators(table)
    errors = [_row_error(p) for p in checked.problems]
    specs: list[IndicatorSpec] = []
    rows: list[int] = []
    for number, item in zip(checked.rows, checked.items, strict=True):
        try:
            specs.append(
                IndicatorSpec(
                    item.name, item.priority, item.direction, item.baseline, item.baseline_date, item.target,
                    item.target_date, item.unit, item.baseline_source, item.lead, item.note,
                )
            )  # fmt: skip
            rows.append(number)
        except InvalidInput as exc:
            errors.append(RowError(number, exc.message))
    for index, message in indicator_problems(specs, agreed, groups):
        errors.append(RowError(rows[index] if index >= 0 else None, message))
    return Parsed(tuple(specs), _sorted(errors))


def parse_actuals(data: bytes, filename: str, plan: Plan) -> Parsed[ActualSpec]:
    """The actual values of an upload, each naming one of the plan's indicators."""
    table = _table(data, filename)
    if isinstance(table, RowError):
        return Parsed((), (table,))
    checked = check_actuals(table)
    errors = [_row_error(p) for p in checked.problems]
    by_name = {i.name.casefold(): i for i in plan.indicators}
    kinds = {i.id: {a.period.kind for a in plan.actuals_of(i.id)} for i in plan.indicators}
    specs: list[ActualSpec] = []
    for number, item in zip(checked.rows, checked.items, strict=True):
        indicator = by_name.get(item.indicator.casefold())
        if indicator is None:
            listed = "; ".join(i.name for i in plan.indicators) or "the plan has none yet"
            errors.append(RowError(number, f"'{item.indicator}' is not one of the plan's indicators ({listed})."))
            continue
        others = kinds[indicator.id] - {item.period.kind}
        if others:
            errors.append(
                RowError(
                    number,
                    f"'{indicator.name}' is reported by {next(iter(others)).value}, "
                    f"and {item.period.label} is a {item.period.kind.value}.",
                )
            )
            continue
        kinds[indicator.id].add(item.period.kind)
        try:
            specs.append(ActualSpec(indicator.id, item.period.label, item.value, item.commentary))
        except InvalidInput as exc:
            errors.append(RowError(number, exc.message))
    return Parsed(tuple(specs), _sorted(errors))
