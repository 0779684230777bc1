"""The exceptions cnpolicy raises; catch `CnpolicyError` for all of them."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousNameError",
    "ArgumentError",
    "CnpolicyError",
    "DanglingReferenceError",
    "DataError",
    "DataErrors",
    "DateOrderError",
    "DuplicateIdError",
    "NotFoundError",
    "PathSegment",
    "ProfileError",
    "SchemaError",
    "YamlSyntaxError",
    "describe_value",
    "format_path",
]

#: A step of a field path: a mapping key or a list index.
PathSegment = str | int


def format_path(path: Sequence[PathSegment]) -> str:
    """``('obligations', 2, 'modality')`` -> ``obligations[2].modality``."""
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else segment)
    return text


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


class DataErrors(DataError, ExceptionGroup[DataError]):
    """Several problems found in one load: a `DataError` and an `ExceptionGroup` of each of them.

    ``except DataError`` catches it whole; ``except* SchemaError`` sees the problems of that class;
    ``errors`` (the same as ``exceptions``) lists them all, in file and line order.
    """

    def __new__(cls, errors: Sequence[DataError]) -> DataErrors:
        lines = "\n".join(str(e) for e in errors)
        return ExceptionGroup.__new__(cls, f"{len(errors)} problems in the data:\n{lines}", list(errors))

    def __init__(self, errors: Sequence[DataError]) -> None:
        first = errors[0]
        self.file, self.line, self.path = first.file, first.line, first.path

    @property
    def errors(self) -> tuple[DataError, ...]:
        """Each problem, as its own `DataError`."""
        return tuple(e for e in self.exceptions if isinstance(e, DataError))

    def derive(self, excs: Sequence[DataError]) -> DataErrors:  # type: ignore[override]  # keeps the class for except*
        return DataErrors(excs)

    def __str__(self) -> str:
        return self.message


class ArgumentError(CnpolicyError, ValueError):
    """An argument of a query is wrong: a day that is not a day, a filter a command does not take."""


class NotFoundError(CnpolicyError, LookupError):
    """Nothing matches a lookup; ``candidates`` lists the closest matches."""

    def __init__(self, query: str, candidates: Sequence[str] = ()) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        hint = f"; closest: {', '.join(self.candidates)}" if self.candidates else ""
        super().__init__(f"nothing matches {query!r}{hint}")


class AmbiguousNameError(CnpolicyError, LookupError):
    """A name fits several records; ``candidates`` lists each as ``(id, what it is and when)``.

    Give one of the ids, or a day (``lookup(name, on=day)``) when the records are versions of one
    instrument or bodies that used the name at different times.
    """

    def __init__(self, query: str, candidates: Sequence[tuple[str, str]]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        listed = "; ".join(f"{key} ({about})" for key, about in self.candidates)
        super().__init__(f"{query!r} names {len(self.candidates)} records: {listed}; give an id, or a day (on=, --on)")


class ProfileError(DataError):
    """A profile states an unknown fact, a value of the wrong type, or facts that contradict an implication.

    A `DataError`: read from a file, it names the file and the line of the fact (``path`` is the fact).
    """

    def location(self) -> str:
        """The "file:line: " prefix where the profile came from a file; nothing for a profile made in code."""
        return super().location() if self.file else ""


def describe_value(value: object) -> str:
    """A value and its YAML type, for error messages: ``a string ('abc')``."""
    import datetime as dt

    kind = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }.get(type(value))
    if kind is None:
        kind = "a date" if isinstance(value, dt.date) else type(value).__name__
    shown = repr(value)
    return f"{kind} ({shown[:60]}{'...' if len(shown) > 60 else ''})"
