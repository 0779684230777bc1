"""What a user knows about a company: stated facts, checked against the fact vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from cnpolicy.errors import ProfileError
from cnpolicy.model.facts import FactSpec, FactType, FactValue

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Profile", "example_path", "example_profiles"]


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


def _implied(value: Mapping[str, str]) -> Mapping[str, str]:
    return dict(value)


@attrs.frozen
class Profile(Mapping[str, FactValue]):
    """An immutable set of stated facts; a fact not stated is unknown, never false.

    >>> Profile(facts={"cii_operator": True})["cii_operator"]
    True
    """

    facts: Mapping[str, FactValue] = attrs.field(factory=dict, converter=_convert)
    #: facts not stated but implied by the vocabulary's implications, each with the fact that implies it
    implied: Mapping[str, str] = attrs.field(factory=dict, converter=_implied)

    def __getitem__(self, name: str) -> FactValue:
        return self.facts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def __hash__(self) -> int:
        return hash(tuple(self.facts.items()))

    @property
    def stated(self) -> Mapping[str, FactValue]:
        """The facts as stated, without those implied."""
        return {name: value for name, value in self.facts.items() if name not in self.implied}

    def with_facts(self, facts: Mapping[str, object] | None = None, /, **more: object) -> Profile:
        """A new profile with these facts added or replaced (implied facts are worked out again by `check`)."""
        return Profile(facts={**self.stated, **(facts or {}), **more})

    def without(self, names: Iterable[str]) -> Profile:
        """A new profile with these facts made unknown (implied facts are worked out again by `check`)."""
        drop = set(names)
        return Profile(facts={k: v for k, v in self.stated.items() if k not in drop})

    def check(self, vocabulary: Mapping[str, FactSpec]) -> Profile:
        """This profile with the facts the vocabulary implies added (see `FactSpec.implies`).

        Raises `ProfileError` naming the fact if a name is unknown, a value has the wrong type, or a
        stated fact contradicts an implication (``cii_operator: true`` with ``network_operator: false``).
        """
        for name, value in self.facts.items():
            spec = vocabulary.get(name)
            if spec is None:
                from difflib import get_close_matches

                close = get_close_matches(name, list(vocabulary), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ProfileError(f"unknown fact {name!r}{hint}", path=name)
            problem = spec.check(value)
            if problem is not None:
                raise ProfileError(f"fact {name!r}: {problem}", path=name)
        return self._implying(vocabulary)

    def _implying(self, vocabulary: Mapping[str, FactSpec]) -> Profile:
        """Add what holding facts imply (true) and what false facts rule out (their yes/no implicants are
        false; a count that implies a false fact must be zero)."""
        if not any(spec.implies for spec in vocabulary.values()):
            return self
        facts, implied = dict(self.facts), dict(self.implied)
        implicants: dict[str, list[str]] = {}
        for spec in vocabulary.values():
            for other in spec.implies:
                implicants.setdefault(other, []).append(spec.name)

        def contradiction(source: str, target: str) -> ProfileError:
            shown = "true" if facts[source] is True else str(facts[source])
            message = f"fact {target!r} is false, but {source!r} is {shown} and implies it"
            return ProfileError(message, path=target if target in self.facts else source)

        queue = [name for name, value in facts.items() if vocabulary[name].holds(value)]
        while queue:  # what holds makes what it implies true
            name = queue.pop()
            for other in vocabulary[name].implies:
                if facts.get(other) is False:
                    raise contradiction(name, other)
                if other not in facts:
                    facts[other], implied[other] = True, name
                    queue.append(other)
        queue = [name for name, value in facts.items() if value is False]
        while queue:  # what is false rules out what implies it
            name = queue.pop()
            for other in implicants.get(name, ()):
                if other in facts and vocabulary[other].holds(facts[other]):
                    raise contradiction(other, name)
                if other not in facts and vocabulary[other].type is FactType.BOOL:
                    facts[other], implied[other] = False, name
                    queue.append(other)
        return self if facts == self.facts else Profile(facts=facts, implied=implied)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], vocabulary: Mapping[str, FactSpec] | None = None) -> Profile:
        """A profile from ``{fact: value}`` (or ``{"facts": {...}}``), checked against ``vocabulary`` if given."""
        if isinstance(data, Mapping) and set(data) == {"facts"}:
            data = data["facts"]
        profile = cls(facts=data)
        return profile if vocabulary is None else profile.check(vocabulary)

    @classmethod
    def example(cls, name: str, vocabulary: Mapping[str, FactSpec] | None = None) -> Profile:
        """One of the example profiles shipped with the package (see `example_profiles`)."""
        return cls.from_yaml(example_path(name), vocabulary)

    @classmethod
    def from_yaml(cls, path: str | Path, vocabulary: Mapping[str, FactSpec] | None = None) -> Profile:
        """A profile from a YAML file holding a mapping of facts (or ``facts:`` with one).

        A file that is not valid YAML raises `cnpolicy.YamlSyntaxError` with its line.
        """
        from pathlib import Path

        from cnpolicy._files import read_limited
        from cnpolicy._yaml import parse
        from cnpolicy.errors import YamlSyntaxError

        if isinstance(path, str) and "\n" in path:
            raise ProfileError("from_yaml takes the path of a YAML file, not YAML text; parse the text and use Profile.from_dict")
        file = Path(path)
        try:
            raw = read_limited(str(file), limit=1024 * 1024)
        except YamlSyntaxError as error:
            raise ProfileError(f"cannot read profile: {error.message}", file=str(file)) from None
        document = parse(raw, str(file))
        try:
            return cls.from_dict(document.data or {}, vocabulary)
        except ProfileError as error:
            nested = isinstance(document.data, Mapping) and set(document.data) == {"facts"}
            line = document.line(("facts", error.path) if nested else (error.path,)) if error.path else document.line(())
            raise ProfileError(error.message, file=str(file), line=line, path=error.path) from None


def example_profiles() -> list[str]:
    """The names of the example profiles shipped with the package (``platform-operator``, ...)."""
    return sorted(path.stem for path in _examples().glob("*.yaml"))


def example_path(name: str) -> Path:
    """The file of an example profile; `NotFoundError` naming the examples for an unknown name."""
    from cnpolicy.errors import NotFoundError

    path = _examples() / f"{name}.yaml"
    if name not in example_profiles():
        raise NotFoundError(f"example:{name}", [f"example:{known}" for known in example_profiles()])
    return path


def _examples() -> Path:
    from pathlib import Path  # imported when needed: a load of the bundled data does not need pathlib

    return Path(__file__).parent / "examples"
