"""Checking every argument of the service's public methods against its type hints, before the method runs.

``ServiceBase.__init_subclass__`` wraps each public method of each use-case
mixin with ``checked``, so a method added later is checked too.  The rule
is the method's own signature: an id (``…_id``, ``…_ids``) is an int (not a
bool) that fits in 64 bits, any other number (``int`` or ``float``) a finite
number (an int no larger than ``MAX_NUMBER``), so the method's own rule (whole number, range)
gives its specific message, a ``str`` text of bounded length, a
``Sequence[X]`` a list or tuple of ``X`` (bounded), an enum a member (or, for
``Kind | str``, text the method parses itself), and a dataclass an instance
whose fields are checked the same way, recursively.  Secrets get the
refusal the service gives a wrong one: a key that is not text is a wrong
key (``PermissionDenied``), a lead's token that is not text a wrong link
(``PermissionDenied``), a token that is not text a stale one and a code
that is not short text an unknown one (``NotFound``); every other
mismatch is an ``InvalidInput`` that names the argument.  So nothing but a
``WorkshopError`` leaves the service for a wrong type, and nothing is read
or written before the check.  Values are checked, never converted: the
method's own rules (ranges, scales, lengths of names) still apply after.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from workshop.errors import InvalidInput, NotFound, PermissionDenied

MAX_ID = 2**63 - 1
MAX_NUMBER = 10**300  # an int any larger cannot be a float (10**400 overflowed before)
MAX_INPUT_TEXT = 200_000  # characters in any one text argument (names and texts have their own, smaller limits)
MAX_CODE_INPUT = 100
MAX_ITEMS = 100_000  # items in any one sequence argument
MAX_BYTES = 50_000_000  # an uploaded file (the upload rules bound it further: workshop.imports)

WRONG_KEY = "That facilitator key is not right for this workshop."
WRONG_LEAD_LINK = (
    "This lead's link is not valid: it may have been replaced by a newer one. Ask the facilitator for it."
)
STALE_TOKEN = "We could not find your place in this workshop. Join again with the code on the screen."

F = TypeVar("F", bound=Callable[..., Any])


class _Mismatch(Exception):
    """An argument that does not fit its hint (turned into the service's refusal by ``checked``)."""

    def __init__(self, what: str, hint: Any, value: object) -> None:
        super().__init__(what)
        self.what, self.hint, self.value = what, hint, value


_WORDS = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    bytes: "bytes",
    type(None): "nothing",
    date: "a date",
}


def _describe(hint: Any) -> str:
    """How a message names a type hint: "a whole number", "text or nothing", "RankingOptions"."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(dict.fromkeys(_describe(a) for a in get_args(hint)))
    if origin is not None and isinstance(origin, type) and issubclass(origin, Sequence):
        return "a list"
    hint = origin or hint
    if hint is None:
        return "nothing"
    return _WORDS.get(hint) or getattr(hint, "__name__", str(hint))


def _shown(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
        return "a number too large to store"
    text = repr(value) if isinstance(value, int | float | bool | type(None)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _refusal(name: str, mismatch: _Mismatch) -> Exception:
    if name == "key":
        return PermissionDenied(WRONG_KEY)
    if name == "token":
        return NotFound(STALE_TOKEN)
    if name == "lead_token":
        return PermissionDenied(WRONG_LEAD_LINK)
    if name == "code":
        return NotFound("No workshop has that code. Check the code on the screen.")
    if mismatch.what.endswith(("_id", "_ids")):  # an id of the wrong type names nothing there is
        thing = mismatch.what.rsplit("_", 1)[0].removeprefix("from_").replace("_", " ")
        if thing in ("workshop", "round"):
            return NotFound(f"That {thing} does not exist.")
        return InvalidInput(f"That {thing} is not part of this workshop.")
    what = mismatch.what.replace("_", " ")
    return InvalidInput(f"The {what} must be {_describe(mismatch.hint)}, not {_shown(mismatch.value)}.")


def _check(value: object, hint: Any, what: str) -> None:
    """Raise ``_Mismatch`` unless ``value`` fits ``hint``."""
    origin = get_origin(hint)
    if hint is Any or hint is object:
        return
    if origin in (typing.Union, types.UnionType):
        for branch in get_args(hint):
            try:
                _check(value, branch, what)
                return
            except _Mismatch:
                continue
        raise _Mismatch(what, hint, value)
    if hint is type(None) or hint is None:
        if value is not None:
            raise _Mismatch(what, hint, value)
        return
    if origin is not None and isinstance(origin, type) and issubclass(origin, Sequence):
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple) or len(value) > MAX_ITEMS:
            raise _Mismatch(what, hint, value)
        args = [a for a in get_args(hint) if a is not Ellipsis]
        if len(args) == 1 or origin is not tuple:
            for item in value:
                _check(item, args[0] if args else Any, what)
        elif len(args) != len(value):
            raise _Mismatch(what, hint, value)
        else:
            for item, arg in zip(value, args, strict=True):
                _check(item, arg, what)
        return
    if origin is not None:
        hint = origin
    if not isinstance(hint, type):
        return
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int and what.endswith(
        ("id", "ids")
    ):  # ids are ints; other numbers are checked by the method's own rule
        ok = isinstance(value, int) and not isinstance(value, bool) and -MAX_ID <= value <= MAX_ID
    elif hint in (int, float):
        ok = not isinstance(value, bool) and (
            (isinstance(value, int) and abs(value) <= MAX_NUMBER) or (isinstance(value, float) and math.isfinite(value))
        )
    elif hint is str:
        ok = isinstance(value, str) and len(value) <= (MAX_CODE_INPUT if what == "code" else MAX_INPUT_TEXT)
    elif hint is bytes:
        ok = isinstance(value, bytes) and len(value) <= MAX_BYTES
    elif hint is date:
        ok = isinstance(value, date) and (isinstance(value, datetime) is False or value.tzinfo is not None)
    else:
        ok = isinstance(value, hint)
    if not ok:
        raise _Mismatch(what, hint, value)
    if dataclasses.is_dataclass(hint) and not issubclass(hint, Enum):
        _check_fields(value, hint)


@functools.cache
def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = get_type_hints(cls)
    return tuple((f.name, hints.get(f.name, Any)) for f in dataclasses.fields(cls) if f.init)


def _check_fields(value: object, cls: type) -> None:
    for name, hint in _field_hints(cls):
        _check(getattr(value, name), hint, name)


def checked(method: F) -> F:
    """``method`` with its arguments checked against its type hints first."""
    signature = inspect.signature(method)
    hints: dict[str, Any] = {}

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not hints:
            hints.update(get_type_hints(method))
            hints.pop("return", None)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            raise InvalidInput(f"{method.__name__} was asked with the wrong arguments.") from None
        for name, value in bound.arguments.items():
            if name == "self" or name not in hints:
                continue
            try:
                _check(value, hints[name], name)
            except _Mismatch as mismatch:
                raise _refusal(name, mismatch) from None
        return method(*args, **kwargs)

    wrapper.__boundary_checked__ = True  # type: ignore[attr-defined]
    return typing.cast(F, wrapper)
