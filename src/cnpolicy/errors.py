"""The exceptions cnpolicy raises; catch `CnpolicyError` for all of them."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CnpolicyError",
    "DanglingReferenceError",
    "DataError",
    "DataErrors",
    "DateOrderError",
    "DuplicateIdError",
    "NotFoundError",
    "ProfileError",
    "SchemaError",
    "YamlSyntaxError",
]


class CnpolicyError(Exception):
    """Base class of every error cnpolicy raises on purpose."""


class DataError(CnpolicyError, ValueError):
    """A data file is wrong; says where (file, line, field path) and why."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, path: str = "") -> None:
        self.message = message
        self.file = file
        self.line = line
        self.path = path
        super().__init__(self.location() + message)

    def location(self) -> str:
        """The "file:line: path: " prefix of the message, as far as it is known."""
        where = self.file or "<data>"
        if self.line is not None:
            where += f":{self.line}"
        where += ": "
        if self.path:
            where += f"{self.path}: "
        return where


class SchemaError(DataError):
    """A value has the wrong type or shape, or a key is unknown or missing."""


class YamlSyntaxError(DataError):
    """A file is not valid YAML, or uses YAML features the data must not use."""


class DanglingReferenceError(DataError, LookupError):
    """A record refers to an id (agency, regulation, source, fact) that does not exist."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, path: str = "", target_kind: str = "", target: str = ""
    ) -> None:
        super().__init__(message, file=file, line=line, path=path)
        #: the kind ("agencies", "sources", "regulations", "facts") and id that were not found
        self.target_kind = target_kind
        self.target = target


class DuplicateIdError(DataError):
    """Two records of one kind share an id."""


class DateOrderError(DataError):
    """Dates of a record are out of order (e.g. effective before adopted)."""


class DataErrors(DataError):
    """Several problems found in one load; ``errors`` holds each of them."""

    def __init__(self, errors: Sequence[DataError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        lines = "\n".join(str(e) for e in self.errors)
        super().__init__(
            f"{len(self.errors)} problems in the data:\n{lines}",
            file=first.file,
            line=first.line,
            path=first.path,
        )
        self.args = (self.message,)  # the summary names every location; no single one heads it

    def __str__(self) -> str:
        return self.message


class NotFoundError(CnpolicyError, LookupError):
    """Nothing matches a lookup; ``candidates`` lists the closest matches."""

    def __init__(self, query: str, candidates: Sequence[str] = ()) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        hint = f"; closest: {', '.join(self.candidates)}" if self.candidates else ""
        super().__init__(f"nothing matches {query!r}{hint}")


class ProfileError(CnpolicyError, ValueError):
    """A profile states an unknown fact or a value of the wrong type."""
