"""Every kind of bad input gives a cnpolicy error naming file, line and field (one broken fixture each)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import (
    DanglingReferenceError,
    DataError,
    DataErrors,
    DateOrderError,
    DuplicateIdError,
    SchemaError,
    YamlSyntaxError,
)

BROKEN = Path(__file__).parent / "fixtures" / "broken"

# (fixture, error class, expected "file:line: field: words" in the message)
CASES = [
    (
        "wrong-enum",
        SchemaError,
        "regulations/example-law.yaml:23: obligations[0].modality: 'shall' is not one of must, must_not, may",
    ),
    ("unknown-key", SchemaError, "regulations/example-law.yaml:18: summery: unknown key 'summery'"),
    ("missing-field", SchemaError, "regulations/example-law.yaml:2: kind: this required field is missing"),
    ("dangling-agency", DanglingReferenceError, "regulations/example-law.yaml:7: issued_by[0]: unknown agency 'legislatur'"),
    ("dangling-source", DanglingReferenceError, "regulations/example-law.yaml:19: sources[0]: unknown source 'src-missing'"),
    ("dangling-relation", DanglingReferenceError, "regulations/example-rule.yaml:10: relations[0].target: unknown regulation"),
    (
        "date-order",
        DateOrderError,
        "regulations/example-law.yaml:10: effective: effective 2017-06-01 is before adopted 2018-11-07",
    ),
    ("bad-partial-date", SchemaError, "regulations/example-law.yaml:10: effective: month must be 1 to 12"),
    ("datetime", SchemaError, "regulations/example-law.yaml:10: effective: expected a date, got a date and time"),
    ("yaml-syntax", YamlSyntaxError, "regulations/example-law.yaml:5: invalid YAML"),
    ("duplicate-key", YamlSyntaxError, "regulations/example-law.yaml:6: duplicate key 'kind' (first on line 5)"),
    ("yaml11-bool", SchemaError, "regulations/example-law.yaml:6: jurisdiction: expected a string, got a boolean"),
    (
        "unquoted-article",
        SchemaError,
        "regulations/example-law.yaml:22: obligations[0].articles[0]: expected a string, got a number",
    ),
    ("bare-string-list", SchemaError, "regulations/example-law.yaml:4: aliases: expected a list, got a string"),
    ("null-string", SchemaError, "regulations/example-law.yaml:3: title.en: expected a string, got null"),
    ("bool-key", YamlSyntaxError, "regulations/example-law.yaml:17: keys must be strings, got True"),
    (
        "unknown-fact",
        DanglingReferenceError,
        "regulations/example-law.yaml:26: obligations[0].applies_if.fact: fact 'cii_operater'",
    ),
    (
        "condition-value",
        SchemaError,
        "regulations/example-law.yaml:37: obligations[1].applies_if.all[1]: 'energy' is not a value",
    ),
    (
        "condition-shape",
        SchemaError,
        "regulations/example-law.yaml:26: obligations[0].applies_if: a condition needs exactly one of",
    ),
    ("no-sources", SchemaError, "regulations/example-law.yaml:28: obligations[0].sources: at least one source is required"),
    ("id-file-mismatch", SchemaError, "regulations/example-law.yaml:2: id: id 'example-lawx' must match the file name"),
    ("duplicate-id", DuplicateIdError, "agencies.yaml:15: id: duplicate id 'legislature' in agencies (first at"),
    ("alias-bomb", YamlSyntaxError, "agencies.yaml:2: anchors and aliases"),
    ("deep-nesting", YamlSyntaxError, "agencies.yaml:2: nesting deeper than 64 levels"),
    ("deep-block-nesting", YamlSyntaxError, "agencies.yaml:2: nesting deeper than 64 levels"),
    ("invalid-utf8", YamlSyntaxError, "agencies.yaml:3: not valid UTF-8"),
    ("control-char", YamlSyntaxError, "agencies.yaml:8: control character U+0007"),
    ("wrong-year", SchemaError, "events/2014.yaml:3: date: event of 2015-05-22 is in the file of 2014"),
    ("fact-int-as-string", SchemaError, "facts.yaml:7: minimum: expected a whole number, got a string"),
    ("top-level-mapping", SchemaError, "agencies.yaml:2: expected a list of records"),
    ("bad-url", SchemaError, "sources.yaml:6: url: url must start with http:// or https://"),
    (
        "unknown-topic",
        DanglingReferenceError,
        "regulations/example-law.yaml:17: topics[0]: unknown topic 'dta' (did you mean 'data'?)",
    ),
    (
        "implies-non-bool",
        SchemaError,
        "facts.yaml:13: implies[0]: 'sector' is choice: only a yes/no fact or a count implies others",
    ),
    # hostile values (issue #13): each refused with its place
    (
        "negative-deadline",
        SchemaError,
        "regulations/example-law.yaml:39: obligations[1].deadline.within: a deadline is at least 1",
    ),
    (
        "fine-min-above-max",
        SchemaError,
        "regulations/example-law.yaml:43: obligations[1].penalty.fines[0].max: max 10000 is below",
    ),
    ("base-60-number", YamlSyntaxError, "regulations/example-law.yaml:18: base-60 numbers are not allowed"),
    ("long-hex-integer", YamlSyntaxError, "regulations/example-law.yaml:43: integer too long (more than 24 digits)"),
    ("escaped-control-char", YamlSyntaxError, "regulations/example-law.yaml:18: control character U+0007 is not allowed"),
    ("url-without-host", SchemaError, "sources.yaml:6: url: url has no host a browser could reach"),
    ("bad-country", SchemaError, "events/2014.yaml:11: country: 'China' is not a country code"),
    ("flow-anchor-after-colon", YamlSyntaxError, "events/2014.yaml:10: anchors and aliases (&name / *name) are not allowed"),
]


def _load_broken(name: str, base_copy: Callable[[], Path]) -> DataError:
    raw = (BROKEN / f"{name}.yaml").read_bytes()
    target = raw.split(b"\n", 1)[0].decode().removeprefix("# replaces: ")
    root = base_copy()
    (root / target).write_bytes(raw)
    with pytest.raises(DataError) as info:
        cnpolicy.load(root, bundled=False)
    return info.value


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize(("name", "cls", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture(name: str, cls: type[DataError], expected: str, base_copy: Callable[[], Path]) -> None:
    error = _load_broken(name, base_copy)
    found = error.errors if isinstance(error, DataErrors) else (error,)
    matching = [e for e in found if expected in str(e)]
    assert matching, f"{expected!r} not in:\n{error}"
    assert isinstance(matching[0], cls)
    assert matching[0].file.endswith(expected.split(":")[0])
    assert matching[0].line == int(expected.split(":")[1])


@pytest.mark.parametrize(("name", "cls", "expected"), CASES, ids=[c[0] for c in CASES])
def test_one_problem_is_reported_once(name: str, cls: type[DataError], expected: str, base_copy: Callable[[], Path]) -> None:
    """A record that fails to load is not reported again as a dangling reference elsewhere."""
    error = _load_broken(name, base_copy)
    found = error.errors if isinstance(error, DataErrors) else (error,)
    assert all(e.file.endswith(expected.split(":")[0]) for e in found), str(error)


def test_many_problems_are_reported_together(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    text = law.read_text().replace("modality: must\n    duty_bearer: CII", "modality: shall\n    duty_bearer: CII")
    law.write_text(text)
    (root / "agencies.yaml").write_text((root / "agencies.yaml").read_text().replace("level: national", "level: galactic", 1))
    events = root / "events" / "2014.yaml"
    events.write_text(events.read_text().replace("sources: [src-news]", "sources: [src-gone]"))
    with pytest.raises(DataErrors) as info:
        cnpolicy.load(root, bundled=False)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 3, messages
    assert "galactic" in messages[0]
    assert "src-gone" in messages[1]
    assert "shall" in messages[2]


def test_errors_are_catchable_as_builtins(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    rule = root / "regulations" / "example-rule.yaml"
    rule.write_text(rule.read_text().replace("target: example-law", "target: nothing"))
    with pytest.raises(LookupError):
        cnpolicy.load(root, bundled=False)
    with pytest.raises(ValueError, match="unknown regulation 'nothing'"):
        cnpolicy.load(root, bundled=False)


def test_missing_folder() -> None:
    with pytest.raises(DataError, match="no such data folder"):
        cnpolicy.load("/no/such/folder", bundled=False)


def test_broken_fixtures_are_each_one_small_change() -> None:
    """Each fixture replaces one file of the valid base folder."""
    base = Path(__file__).parent / "fixtures" / "base"
    for path in BROKEN.glob("*.yaml"):
        target = path.read_bytes().split(b"\n", 1)[0].decode().removeprefix("# replaces: ")
        assert (base / target).is_file(), path.name


def test_copy_of_base_loads(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(base_copy(), bundled=False)
    assert set(ds.regulations) == {"example-law", "example-rule"}
    assert len(ds.obligations) == 3


@pytest.mark.parametrize("cache", [True, False])
def test_unreadable_file_is_a_data_error(base_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch, cache: bool) -> None:
    """A file that cannot be read is reported with its name (the cache key then differs, so no stale cache is used)."""
    import cnpolicy._load as loader

    root = base_copy()
    real = loader.read_file

    def failing(folder: object, name: str) -> bytes:
        if name == "regulations/example-law.yaml":
            raise PermissionError(13, "Permission denied")
        return real(folder, name)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_file", failing)
    with pytest.raises(YamlSyntaxError, match="cannot read file") as info:
        cnpolicy.load(root, bundled=False, cache=cache)
    assert info.value.file.endswith("regulations/example-law.yaml")


def test_unlistable_folder_is_a_data_error(base_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    root = base_copy()
    real = os.scandir

    def failing(path: str) -> object:
        if str(path).endswith("regulations"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", failing)
    with pytest.raises(DataError, match="cannot list the folder: Permission denied") as info:
        cnpolicy.load(root, bundled=False)
    assert info.value.file.endswith("regulations")
