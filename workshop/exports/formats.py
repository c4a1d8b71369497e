"""The exports' file formats: each format's button label, file extension and media type, and one reading of
a format's name (the board paper's formats, ``workshop.exports.ExportFormat``, and the performance report's,
``workshop.exports.performance.PerformanceFormat``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self, TypeVar

from workshop.errors import InvalidInput, one_of

#: The media type of each kind of file the exports write, by its extension.
MEDIA_TYPES = {
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class FileKind:
    label: str  # on the download button
    extension: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.extension]


F = TypeVar("F", bound="FileFormat")

#: Each set of formats' kinds of file, by format value, registered by the module that defines the set
#: (``register``).  Keyed by class first: members of two sets with one value ("html") are equal strings.
KINDS: dict[type[FileFormat], dict[str, FileKind]] = {}


def register(kinds: dict[F, FileKind]) -> None:
    """Give each format of one set its kind of file (every member of the set, once)."""
    (cls,) = {type(f) for f in kinds}
    if set(kinds) != set(cls):
        raise ValueError(f"{cls.__name__}: every format needs a kind of file")
    KINDS[cls] = {f.value: kind for f, kind in kinds.items()}


class FileFormat(StrEnum):
    """A set of export formats (a subclass's members), each with its ``FileKind`` (``register``)."""

    @property
    def kind(self) -> FileKind:
        return KINDS[type(self)][self.value]

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def extension(self) -> str:
        return self.kind.extension

    @property
    def media_type(self) -> str:
        return self.kind.media_type

    @classmethod
    def _what(cls) -> str:
        """The format's name in a refusal: "The {what} must be one of …"."""
        return "export format"

    @classmethod
    def parse(cls, value: Self | str) -> Self:
        """The format named ``value`` (any case, a leading dot allowed: ".docx"); else InvalidInput naming
        the options."""
        return one_of(
            cls,
            str(value).strip().lower().lstrip("."),
            lambda options: InvalidInput(f"The {cls._what()} must be one of {options}, not {value!r}."),
        )
