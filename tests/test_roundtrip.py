"""Unstructure then structure gives the same object, for every model class and whole datasets."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cnpolicy import Dataset
from cnpolicy._convert import structure, unstructure
from cnpolicy.model import Agency, Event, FactSpec, Obligation, Regulation, Source
from cnpolicy.strategies import VOCABULARY, agencies, conditions, datasets, events, fact_specs, obligations, regulations, sources

SOURCES = ["src-a", "src-b"]
AGENCIES = ["ag-a", "ag-b"]


def _round_trip(value: Any, cls: type[Any]) -> None:
    plain = unstructure(value)
    assert structure(json.loads(json.dumps(plain)), cls) == value


@given(sources())
def test_source(value: Source) -> None:
    _round_trip(value, Source)


@given(agencies(SOURCES, AGENCIES))
def test_agency(value: Agency) -> None:
    _round_trip(value, Agency)


@given(fact_specs())
def test_fact_spec(value: FactSpec) -> None:
    _round_trip(value, FactSpec)


@given(obligations("reg-x", VOCABULARY, SOURCES, ["2021"]))
def test_obligation(value: Obligation) -> None:
    _round_trip(value, Obligation)


@given(regulations(VOCABULARY, SOURCES, AGENCIES, ["reg-other"]))
def test_regulation(value: Regulation) -> None:
    _round_trip(value, Regulation)


@given(events(SOURCES, AGENCIES, ["reg-x"]))
def test_event(value: Event) -> None:
    _round_trip(value, Event)


@given(conditions(VOCABULARY, 3))
def test_condition_in_obligation(condition: Any) -> None:
    plain = {
        "id": "r.1",
        "regulation": "r",
        "articles": ["1"],
        "modality": "must",
        "duty_bearer": "x",
        "action": "y",
        "sources": ["s"],
        "applies_if": unstructure(condition),
    }
    assert structure(plain, Obligation).applies_if == condition


def records_round_trip(dataset: Dataset) -> None:
    """A structured then unstructured dataset equals the original."""
    plain = json.loads(json.dumps(dataset.to_records()))
    assert Dataset.from_plain(plain) == dataset


def record_order_does_not_matter(dataset: Dataset, random: Any) -> None:
    """Shuffling the records of each kind gives an equal dataset."""
    plain = dataset.to_records()
    for records in plain.values():
        random.shuffle(records)
    assert Dataset.from_plain(plain) == dataset


def trusted_builder_agrees_with_the_converter(dataset: Dataset) -> None:
    """The cattrs-free builder used for the bundled snapshot gives the same records as the converter."""
    from cnpolicy._snapshot import build

    for kind, cls in (
        ("facts", FactSpec),
        ("agencies", Agency),
        ("sources", Source),
        ("regulations", Regulation),
        ("events", Event),
    ):
        for record in getattr(dataset, kind).values():
            assert build(cls, json.loads(json.dumps(unstructure(record)))) == record


def lazy_snapshot_dataset_equals_the_checked_one(dataset: Dataset) -> None:
    """A dataset compiled to a snapshot and read back lazily (as the bundled data is) is the same dataset,
    in the same order, with the same name index."""
    from cnpolicy._load import dataset_from_snapshot
    from cnpolicy._snapshot import read_snapshot, snapshot_text
    from cnpolicy.query import build_name_index

    names = build_name_index(dataset.regulations.values(), dataset.agencies.values())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.json"
        path.write_text(snapshot_text(dataset.to_records(), "digest", names))
        snapshot = read_snapshot(path, "digest")
    assert snapshot is not None
    lazy = dataset_from_snapshot(snapshot)
    for key in dataset.regulations:  # relations come from the header, before any regulation is built
        assert lazy.related(key) == dataset.related(key)
    for kind in ("facts", "agencies", "sources", "regulations", "obligations", "events"):
        assert list(getattr(lazy, kind)) == list(getattr(dataset, kind))
    assert lazy == dataset
    assert lazy._name_index == dataset._name_index


@settings(max_examples=settings().max_examples // 2)  # whole datasets: the suite's heaviest property
@given(datasets(), st.randoms())
def test_generated_datasets_survive_every_round_trip(dataset: Dataset, random: Any) -> None:
    """The four properties above, over one drawn dataset each (drawing a whole dataset is the costly part)."""
    records_round_trip(dataset)
    record_order_does_not_matter(dataset, random)
    trusted_builder_agrees_with_the_converter(dataset)
    lazy_snapshot_dataset_equals_the_checked_one(dataset)
