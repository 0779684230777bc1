"""The one cattrs converter: strict structuring of YAML/JSON values into the model, and back."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from cnpolicy.dates import PartialDate
from cnpolicy.errors import PathSegment, describe_value
from cnpolicy.model.conditions import Condition, ConditionError, parse, to_data
from cnpolicy.model.kinds import data_key

__all__ = ["FieldError", "converter", "flatten_errors", "structure", "unstructure"]

T = TypeVar("T")


class FieldError(ValueError):
    """A value is wrong at ``path`` (relative to where the hook was called)."""

    def __init__(self, message: str, path: tuple[PathSegment, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


_YAML11_HINT = " (YAML reads unquoted yes/no/on/off as booleans, 007 or 12:30 as numbers and 2014-05-22 as a date: quote it)"


def _str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    hint = _YAML11_HINT if isinstance(value, bool | int | float | dt.date) else ""
    raise FieldError(f"expected a string, got {describe_value(value)}{hint}")


def _int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FieldError(f"expected a whole number, got {describe_value(value)}")


def _float(value: object, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise FieldError(f"expected a number, got {describe_value(value)}")


def _bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(f"expected true or false, got {describe_value(value)}")


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldError(f"expected a date as 'YYYY-MM-DD', got {describe_value(value)}")


def _partial_date(value: object, _: type) -> PartialDate:
    if isinstance(value, str | dt.date):
        try:
            return PartialDate.parse(value)
        except (TypeError, ValueError) as error:
            raise FieldError(str(error)) from None
    raise FieldError(f"expected a date as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {describe_value(value)}")


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    allowed = ", ".join(str(member.value) for member in cls)

    def hook(value: object, _: type) -> enum.Enum:
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
        shown = repr(value) if isinstance(value, str) else describe_value(value)
        raise FieldError(f"{shown} is not one of {allowed}")

    return hook


def _tuple_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], tuple[Any, ...]]:
    (element, *_rest) = cls.__args__
    handler = conv.get_structure_hook(element)

    def hook(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise FieldError(f"expected a list, got {describe_value(value)}")
        try:
            return tuple([handler(item, element) for item in value])
        except Exception:  # go again item by item, to report every bad item with its index
            pass
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(handler(item, element))
            except Exception as error:  # collected, re-raised as a group below
                error.__notes__ = [*getattr(error, "__notes__", []), IterableValidationNote(f"@ index {index}", index, element)]
                errors.append(error)
        if errors:
            raise IterableValidationError("invalid list items", errors, cls)
        return tuple(items)

    return hook


def _is_homogeneous_tuple(cls: Any) -> bool:
    return getattr(cls, "__origin__", None) is tuple and len(cls.__args__) == 2 and cls.__args__[1] is Ellipsis


def _overrides(cls: Any) -> dict[str, Any]:
    return {a.name: override(rename=data_key(a)) for a in attrs.fields(cls) if data_key(a) != a.name}


def _attrs_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], Any]:
    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **_overrides(cls))

    def hook(value: object, _: type) -> Any:
        if not isinstance(value, Mapping):
            raise FieldError(f"expected a mapping, got {describe_value(value)}")
        try:
            return inner(value, cls)
        except (TypeError, ValueError) as error:
            if isinstance(error, BaseValidationError | ForbiddenExtraKeysError | FieldError):
                raise
            raise FieldError(str(error)) from None  # e.g. an attrs validator of PartialDate

    return hook


def _attrs_unhook(conv: cattrs.Converter, cls: Any) -> Callable[[Any], Any]:
    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **_overrides(cls))


def _is_optional(cls: Any) -> bool:
    args = getattr(cls, "__args__", ())
    return typing.get_origin(cls) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args


def _optional_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], Any]:
    """``X | None``: the hook of ``X`` looked up once, not on every value as cattrs' generic union hook does."""
    (inner,) = [arg for arg in cls.__args__ if arg is not type(None)]
    handler = conv.get_structure_hook(inner)

    def hook(value: object, _: type) -> Any:
        return None if value is None else handler(value, inner)

    return hook


def _is_condition_union(cls: Any) -> bool:
    args = set(getattr(cls, "__args__", ())) - {type(None)}
    return args == set(Condition.__args__)


def _condition_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], Condition | None]:
    optional = type(None) in cls.__args__

    def hook(value: object, _: type) -> Condition | None:
        if value is None and optional:
            return None
        try:
            return parse(value)
        except ConditionError as error:
            raise FieldError(error.message, error.path) from None

    return hook


@functools.cache
def converter() -> cattrs.Converter:
    """The converter, built once."""
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    scalars: tuple[tuple[type, Callable[[object, type], Any]], ...] = (
        (str, _str),
        (int, _int),
        (float, _float),
        (bool, _bool),
        (dt.date, _date),
        (PartialDate, _partial_date),
    )
    for scalar, hook in scalars:
        conv.register_structure_hook(scalar, hook)
    conv.register_unstructure_hook(PartialDate, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook_factory(lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _enum_hook)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(conv, cls))
    conv.register_structure_hook_factory(_is_optional, lambda cls: _optional_hook(conv, cls))
    condition_types = typing.get_args(Condition)
    # Registered later, so checked first: a condition or None is not a plain optional.
    conv.register_structure_hook_factory(_is_condition_union, lambda cls: _condition_hook(conv, cls))
    for cls in condition_types:
        conv.register_unstructure_hook(cls, to_data)
    conv.register_structure_hook_factory(
        lambda cls: attrs.has(cls) and cls not in condition_types and cls is not PartialDate,
        lambda cls: _attrs_hook(conv, cls),
    )
    conv.register_unstructure_hook_factory(
        lambda cls: attrs.has(cls) and cls not in condition_types and cls is not PartialDate,
        lambda cls: _attrs_unhook(conv, cls),
    )
    return conv


def structure(value: object, cls: type[T]) -> T:
    """Structure plain data into ``cls``; raises cattrs errors that `flatten_errors` can read."""
    return converter().structure(value, cls)


def unstructure(obj: object) -> Any:
    """Turn a model object into plain data (dicts, lists, strings, numbers), as in the YAML."""
    return converter().unstructure(obj)


def flatten_errors(error: BaseException, path: tuple[PathSegment, ...] = ()) -> Iterator[tuple[tuple[PathSegment, ...], str]]:
    """Every leaf problem in a (possibly nested) structuring error, with its field path."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                owner = getattr(error, "cl", None)
                field = attrs.fields_dict(owner).get(note.name) if owner is not None and attrs.has(owner) else None
                yield from flatten_errors(inner, (*path, note.name if field is None else data_key(field)))
            elif isinstance(note, IterableValidationNote):
                yield from flatten_errors(inner, (*path, note.index))
            else:  # pragma: no cover - cattrs only adds the two notes above
                yield from flatten_errors(inner, path)
        for inner in without:
            yield from flatten_errors(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields):
            allowed = ", ".join(data_key(a) for a in attrs.fields(error.cl))
            yield (*path, key), f"unknown key {key!r}; allowed keys: {allowed}"
    elif isinstance(error, FieldError):
        yield (*path, *error.path), error.message
    elif isinstance(error, KeyError):
        yield path, "this required field is missing"
    else:
        yield path, f"{type(error).__name__}: {error}"
