"""What a user knows about a company: stated facts, checked against the fact vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from cnpolicy.errors import ProfileError
from cnpolicy.model.facts import FactSpec, FactValue

__all__ = ["Profile"]


def _freeze(name: str, value: object) -> FactValue:
    if isinstance(value, bool | int | str | frozenset):
        return value
    if isinstance(value, list | tuple | set):
        if not all(isinstance(item, str) for item in value):
            raise ProfileError(f"fact {name!r}: a set of values must hold strings, got {value!r}")
        return frozenset(value)
    raise ProfileError(f"fact {name!r}: expected true/false, a whole number, a string or a list of strings, got {value!r}")


def _convert(facts: Mapping[str, object]) -> Mapping[str, FactValue]:
    if not isinstance(facts, Mapping):
        raise ProfileError(f"a profile's facts must be a mapping of fact names to values, got {type(facts).__name__}")
    frozen: dict[str, FactValue] = {}
    for name, value in facts.items():
        if not isinstance(name, str):
            raise ProfileError(f"fact names must be strings, got {name!r}")
        frozen[name] = _freeze(name, value)
    return dict(sorted(frozen.items()))


@attrs.frozen
class Profile(Mapping[str, FactValue]):
    """An immutable set of stated facts; a fact not stated is unknown, never false.

    >>> Profile(facts={"cii_operator": True})["cii_operator"]
    True
    """

    facts: Mapping[str, FactValue] = attrs.field(factory=dict, converter=_convert)

    def __getitem__(self, name: str) -> FactValue:
        return self.facts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def __hash__(self) -> int:
        return hash(tuple(self.facts.items()))

    def with_facts(self, facts: Mapping[str, object] | None = None, /, **more: object) -> Profile:
        """A new profile with these facts added or replaced."""
        return Profile(facts={**self.facts, **(facts or {}), **more})

    def without(self, names: Iterable[str]) -> Profile:
        """A new profile with these facts made unknown."""
        drop = set(names)
        return Profile(facts={k: v for k, v in self.facts.items() if k not in drop})

    def check(self, vocabulary: Mapping[str, FactSpec]) -> Profile:
        """Raise `ProfileError` naming the fact if a name is unknown or a value has the wrong type; else self."""
        for name, value in self.facts.items():
            spec = vocabulary.get(name)
            if spec is None:
                from difflib import get_close_matches

                close = get_close_matches(name, list(vocabulary), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ProfileError(f"unknown fact {name!r}{hint}")
            problem = spec.check(value)
            if problem is not None:
                raise ProfileError(f"fact {name!r}: {problem}")
        return self

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], vocabulary: Mapping[str, FactSpec] | None = None) -> Profile:
        """A profile from ``{fact: value}`` (or ``{"facts": {...}}``), checked against ``vocabulary`` if given."""
        if isinstance(data, Mapping) and set(data) == {"facts"}:
            data = data["facts"]
        profile = cls(facts=data)
        return profile if vocabulary is None else profile.check(vocabulary)

    @classmethod
    def from_yaml(cls, path: str | Path, vocabulary: Mapping[str, FactSpec] | None = None) -> Profile:
        """A profile from a YAML file holding a mapping of facts (or ``facts:`` with one).

        A file that is not valid YAML raises `cnpolicy.YamlSyntaxError` with its line.
        """
        from cnpolicy._yaml import parse

        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise ProfileError(f"cannot read profile {file}: {error.strerror or error}") from None
        document = parse(raw, str(file))
        try:
            return cls.from_dict(document.data or {}, vocabulary)
        except ProfileError as error:
            raise ProfileError(f"{file}: {error}") from None
