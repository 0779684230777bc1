"""Compiled snapshots: the bundled one is in step with the YAML; user caches are used only when they match."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnpolicy
from cnpolicy import _load as dataset_module
from cnpolicy import _snapshot as snapshot
from cnpolicy._snapshot import LazyRecords


def test_bundled_snapshot_is_in_step_with_the_yaml() -> None:
    """Regenerate with: cnpolicy export --format snapshot > src/cnpolicy/bundled.json"""
    digest = snapshot.folder_digest(dataset_module.bundled_data_root())
    compiled = snapshot.read_snapshot(files("cnpolicy") / "bundled.json", digest)
    assert compiled is not None, "the bundled snapshot is stale or unreadable"
    from_yaml = cnpolicy.load(cache=False)
    assert cnpolicy.Dataset.from_plain({kind: list(records.values()) for kind, records in compiled.records.items()}) == from_yaml
    assert cnpolicy.load() == from_yaml
    assert list(cnpolicy.load().events) == list(from_yaml.events)  # the snapshot keeps the date order


def test_bundled_snapshot_names_match_the_records() -> None:
    from cnpolicy.query import build_name_index

    bundled = cnpolicy.load()
    assert bundled._name_index == build_name_index(bundled.regulations.values(), bundled.agencies.values())


def test_bundled_snapshot_search_texts_match_the_records() -> None:
    """What search looks at is compiled into the snapshot; it must be what the records give."""
    from cnpolicy.query import searchable

    bundled = cnpolicy.load()
    assert bundled.searchable is not None
    assert list(bundled._searchable) == searchable(
        bundled.regulations.values(), bundled.agencies.values(), bundled.events.values()
    )
    from_yaml = cnpolicy.load(cache=False)
    assert from_yaml.searchable is None
    for text in ("数据出境", "personal information", "CAC", "gb/t 35273", "huawei", "出境 评估"):
        assert bundled.search(text) == from_yaml.search(text), text


def test_bundled_load_uses_the_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(dataset_module, "read_folder", no_yaml)
    fresh = dataset_module._bundled_dataset()
    assert fresh is not cnpolicy.load()
    assert fresh == cnpolicy.load()


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 1}', '{"format": 999, "digest": "x", "records": {}}'])
def test_unreadable_or_stale_snapshots_are_ignored(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(text)
    assert snapshot.read_snapshot(path, "x") is None


def test_snapshot_for_other_files_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    records: dict[str, list[object]] = {k: [] for k in ("facts", "topics", "agencies", "sources", "regulations", "events")}
    assert snapshot.write_snapshot(path, records, "abc")
    empty = ({kind: {} for kind in records}, {"obligations": {}}, None, None)
    assert snapshot.read_snapshot(path, "abc") == empty
    assert snapshot.read_snapshot(path, "abd") is None


def test_digest_changes_with_any_byte(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    before = snapshot.folder_digest(root)
    law = root / "regulations" / "example-law.yaml"
    law.write_text(law.read_text() + "\n")
    assert snapshot.folder_digest(root) != before


def test_user_folder_is_cached_and_reused(base_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = base_copy()
    first = cnpolicy.load(root, bundled=False, cache=True)
    entry, _ = dataset_module._cache_entry(root)
    assert entry.is_file()

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(dataset_module, "read_folder", no_yaml)
    assert cnpolicy.load(root, bundled=False, cache=True) == first


def test_changed_folder_is_read_again(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    cnpolicy.load(root, bundled=False, cache=True)
    rule = root / "regulations" / "example-rule.yaml"
    rule.write_text(rule.read_text().replace("title: {en: Example Rule}", "title: {en: Renamed Rule}"))
    assert cnpolicy.load(root, bundled=False, cache=True).regulations["example-rule"].title.en == "Renamed Rule"


def test_corrupt_cache_is_rebuilt(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    good = cnpolicy.load(root, bundled=False, cache=True)
    entry, _ = dataset_module._cache_entry(root)
    header, body = entry.read_text().split("\n", 1)
    assert '"example-law"' in body
    entry.write_text(header + "\n" + body.replace('"example-law"', '"tampered"', 1))  # same digest, bad records
    assert cnpolicy.load(root, bundled=False, cache=True) == good
    entry.write_text(header + "\n" + body[: len(body) // 2])  # same header, records cut short
    assert cnpolicy.load(root, bundled=False, cache=True) == good
    entry.write_text("not json")
    assert cnpolicy.load(root, bundled=False, cache=True) == good
    assert json.loads(entry.read_text().split("\n", 1)[0])["digest"]


def test_cached_folder_errors_still_name_file_and_line(base_copy: Callable[[], Path]) -> None:
    """A cached folder that conflicts with another layer is re-read to report lines."""
    root = base_copy()
    cnpolicy.load(root, bundled=False, cache=True)
    other = root.parent / "other"
    (other / "regulations").mkdir(parents=True)
    (other / "regulations" / "extra.yaml").write_text(
        "id: extra\ntitle: {en: Extra}\nkind: law\njurisdiction: CN\nissued_by: [legislature]\nsources: [src-law]\n"
        "relations:\n  - {type: amends, target: missing-law}\n"
    )
    with pytest.raises(cnpolicy.DanglingReferenceError) as info:
        cnpolicy.load(root, extra=[other], bundled=False, cache=True)
    assert info.value.line == 8
    assert info.value.file.endswith("extra.yaml")


def test_no_cache_writes_nothing(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    cnpolicy.load(root, bundled=False, cache=False)
    entry, _ = dataset_module._cache_entry(root)
    assert not entry.exists()


def test_unwritable_cache_is_not_an_error(base_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CNPOLICY_CACHE_DIR", str(blocker / "sub"))
    assert cnpolicy.load(base_copy(), bundled=False, cache=True).regulations


def test_cache_of_unquoted_dates_round_trips(base_copy: Callable[[], Path]) -> None:
    """A user folder with unquoted YAML dates caches and reloads to the same dataset."""
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    law.write_text(law.read_text().replace("effective: '2017-06-01'", "effective: 2017-06-01"))
    first = cnpolicy.load(root, bundled=False, cache=True)
    entry, _ = dataset_module._cache_entry(root)
    assert '"effective":"2017-06-01"' in entry.read_text()
    assert cnpolicy.load(root, bundled=False, cache=True) == first


def test_bundled_records_are_built_on_first_use() -> None:
    """A fresh bundled load builds nothing until asked; a lookup builds the one record it returns."""
    fresh = dataset_module._bundled_dataset()
    assert repr(fresh) == repr(cnpolicy.load())  # counts come from the snapshot, without building
    assert "0 built" in repr(fresh.regulations)
    pipl = fresh.lookup("PIPL")
    assert isinstance(pipl, cnpolicy.Regulation)
    assert "1 built" in repr(fresh.regulations)
    assert "0 built" in repr(fresh.sources)
    assert fresh.lookup("PIPL") is pipl
    assert fresh.obligations[pipl.obligations[0].id] is pipl.obligations[0]


@given(st.dictionaries(st.text(max_size=5), st.integers()), st.lists(st.text(max_size=5)))
def test_lazy_records_behave_like_the_dict_they_stand_for(plain: dict[str, int], probes: list[str]) -> None:
    made: list[int] = []

    def make(value: int) -> str:
        made.append(value)
        return f"<{value}>"

    lazy = LazyRecords(plain, make)
    expected = {key: f"<{value}>" for key, value in plain.items()}
    assert list(lazy) == list(expected)
    assert len(lazy) == len(expected)
    assert not made  # iteration, len and membership build nothing
    for probe in probes:
        assert (probe in lazy) == (probe in expected)
        assert lazy.get(probe) == expected.get(probe)
    assert dict(lazy) == expected
    assert all(lazy[key] is lazy[key] for key in lazy)  # built once, then kept
    assert len(made) == len(plain)


def test_plain_data_of_bundled_records_is_what_unstructuring_gives() -> None:
    """`show` writes a bundled record's plain data without building it: it must be the record's own."""
    from cnpolicy._convert import unstructure
    from cnpolicy.model.kinds import FILE_KINDS

    fresh = dataset_module._bundled_dataset()
    for kind in FILE_KINDS:
        records = getattr(fresh, kind.name)
        assert isinstance(records, LazyRecords)
        for key in records:
            assert records.plain(key) == unstructure(records[key]), (kind.name, key)
    assert fresh.obligations.plain(next(iter(fresh.obligations))) is None  # nested: no plain data of its own


def test_one_attribute_of_a_bundled_record_is_the_built_records_own() -> None:
    """`LazyRecords.attribute` builds one field from the plain data; it must equal the built record's field."""
    import attrs

    from cnpolicy.model.kinds import FILE_KINDS

    fresh = dataset_module._bundled_dataset()
    for kind in FILE_KINDS:
        records = getattr(fresh, kind.name)
        names = [field.name for field in attrs.fields(kind.cls)]
        for key in records:
            built = len(records._built)
            alone = {name: records.attribute(key, name) for name in names}
            assert len(records._built) == built  # the record itself is not built
            assert alone == {name: getattr(records[key], name) for name in names}, (kind.name, key)
            assert {name: records.attribute(key, name) for name in names} == alone  # and once built, from the record
    with pytest.raises(AttributeError):
        dataset_module._bundled_dataset().regulations.attribute("pipl", "no_such_field")


def test_a_view_reads_what_the_built_record_holds() -> None:
    """A scan's view of a bundled record gives its fields, properties and methods as the record does,
    and builds nothing."""
    import datetime as dt

    fresh = dataset_module._bundled_dataset()
    regulations = fresh.regulations
    assert isinstance(regulations, LazyRecords)
    days = [dt.date(1990, 1, 1), dt.date(2017, 6, 1), dt.date(2021, 11, 1), dt.date(2026, 1, 1)]
    properties = ("start", "in_force_period", "normalized_document_number", "duties_unrecorded")
    for view in list(snapshot.scan(regulations)):
        record = regulations[view.id]
        assert [getattr(view, name) for name in properties] == [getattr(record, name) for name in properties]
        assert [view.in_force(day) for day in days] == [record.in_force(day) for day in days]
        assert (view.title, view.obligations, view.amendments) == (record.title, record.obligations, record.amendments)
    events = fresh.events
    assert isinstance(events, LazyRecords)
    views = list(snapshot.scan(events))
    assert all(not isinstance(view, cnpolicy.Event) for view in views)
    assert [(v.id, v.date, v.kind, v.actors) for v in views] == [(e.id, e.date, e.kind, e.actors) for e in events.values()]
    assert next(snapshot.scan(events)) is events[views[0].id]  # once built, the record itself
    with pytest.raises(AttributeError):
        _ = views[1].no_such_field
    with pytest.raises(KeyError):
        snapshot.peek(events, "no-such-event")


def test_scans_build_only_what_they_return() -> None:
    """Filters, timelines and tables read bundled records through views: only what they return is built."""
    fresh = dataset_module._bundled_dataset()
    built = fresh.regulations._built  # type: ignore[attr-defined]
    timeline = fresh.timeline("2014", "2016")
    assert timeline
    assert built == {}
    assert fresh.events._built == {}  # type: ignore[attr-defined]
    found = fresh.regulations_where(kind="law", jurisdiction="CN")
    assert set(built) == {r.id for r in found}
    assert all(isinstance(r, cnpolicy.Regulation) for r in found)
    events = fresh.events_between("2015", "2015")
    assert set(fresh.events._built) == {e.id for e in events}  # type: ignore[attr-defined]
    assert all(isinstance(e, cnpolicy.Event) for e in events)
    bundled = cnpolicy.load()
    assert timeline == bundled.timeline("2014", "2016")
    assert fresh.in_force("2022-01-01") == bundled.in_force("2022-01-01")
    assert fresh.unrecorded("2022-01-01") == bundled.unrecorded("2022-01-01")


def test_a_record_with_nested_records_decodes_without_them() -> None:
    """A regulation's fields other than its obligations are read without decoding the obligations."""
    fresh = dataset_module._bundled_dataset()
    encoded = fresh.regulations._plain  # type: ignore[attr-defined]
    shallow = encoded.shallow("pipl")
    assert "obligations" not in shallow
    assert encoded._decoded == {}
    full = encoded["pipl"]
    assert {key: value for key, value in full.items() if key != "obligations"} == shallow
    assert full["obligations"]
    assert list(full)[-1] == "obligations"


def test_only_the_sections_a_query_reads_are_decoded() -> None:
    """Loading decodes no section of the snapshot; a lookup decodes the name index and nothing of the sources."""
    fresh = dataset_module._bundled_dataset()
    sources = fresh.sources._plain._spans  # type: ignore[attr-defined]
    names = fresh.names
    assert isinstance(names, snapshot._Section)
    assert names._value is None
    assert sources._value is None
    kept = [fresh.regulations._plain._fields, fresh.sources._plain._fields]  # type: ignore[attr-defined]
    assert [section._value for section in kept] == [None, None]
    assert fresh.lookup("PIPL").id == "pipl"
    assert names._value is not None
    assert sources._value is None


def test_a_damaged_section_is_a_data_error_naming_the_snapshot(tmp_path: Path) -> None:
    """A section that cannot be decoded, found only when first read, says to reinstall: never a bare error."""
    raw = (files("cnpolicy") / "bundled.json").read_bytes()
    header = json.loads(raw[: raw.index(b"\n")])
    start, stop = header["sections"]["names"]
    body = raw.index(b"\n") + 1
    damaged = tmp_path / "bundled.json"
    damaged.write_bytes(raw[: body + start] + b"[" + b" " * (stop - start - 1) + raw[body + stop :])
    read = snapshot.read_snapshot(str(damaged), None, lazy=True)
    assert read is not None
    assert read.names is not None
    with pytest.raises(cnpolicy.DataError, match="reinstall cnpolicy") as caught:
        read.names.get("pipl")
    assert str(damaged) in str(caught.value)
    assert snapshot.read_snapshot(str(damaged), None) is None  # read whole (a user cache): ignored, never trusted


def test_relations_are_read_from_the_header_without_decoding_a_regulation() -> None:
    """`related` and version chains scan every regulation's relations: the snapshot keeps them apart."""
    fresh = dataset_module._bundled_dataset()
    bundled = cnpolicy.load()
    decoded = fresh.regulations._plain._decoded  # type: ignore[attr-defined]
    assert fresh.related("pipl") == bundled.related("pipl")
    assert decoded == {}
    chain = [r.id for r in fresh.version_chain("cybersecurity-review-measures-2020")]
    assert chain == [r.id for r in bundled.version_chain("cybersecurity-review-measures-2020")]
    assert set(decoded) == set(chain)  # only the versions it returns
