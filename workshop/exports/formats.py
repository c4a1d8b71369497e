"""The exports' file formats: each format's button label, file extension and media type, and one reading of
a format's name (the board paper's formats, ``workshop.exports.ExportFormat``, and the performance report's,
``workshop.exports.performance.PerformanceFormat``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

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


#: Each format's kind of file, filled in by the module that defines the format (``KINDS.update``).
KINDS: dict[FileFormat, FileKind] = {}


class FileFormat(StrEnum):
    """A set of export formats (a subclass's members), each with its ``FileKind`` in ``KINDS``."""

    @property
    def label(self) -> str:
        return KINDS[self].label

    @property
    def extension(self) -> str:
        return KINDS[self].extension

    @property
    def media_type(self) -> str:
        return KINDS[self].media_type

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
