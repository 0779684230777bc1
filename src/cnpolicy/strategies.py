"""Hypothesis strategies for cnpolicy's values, records and whole datasets (needs the ``hypothesis`` extra).

Use them to property-test your own obligation logic or data::

    from hypothesis import given
    from cnpolicy import strategies as cst

    @given(cst.conditions(cst.VOCABULARY), cst.profiles(cst.VOCABULARY))
    def test_my_rule(condition, profile): ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING


def _hypothesis_setup_hook() -> None:
    """Register strategies for ``st.from_type`` (run by hypothesis through its entry point).

    Defined before this module imports hypothesis: importing ``cnpolicy.strategies`` first starts
    hypothesis, which runs this hook while the rest of the module is not defined yet, so each
    strategy is looked up only when first drawn. `Profile` and the records draw over the bundled
    fact vocabulary, so what they draw is valid against the bundled data.
    """
    from hypothesis import strategies as st

    from cnpolicy import model
    from cnpolicy.dataset import Dataset
    from cnpolicy.dates import PartialDate, Period
    from cnpolicy.profile import Profile

    def later(name: str, *args: Any) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: globals()[name](*args))

    def bundled(name: str, *args: Any) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: globals()[name](globals()["bundled_vocabulary"](), *args))

    registered: dict[type[Any], st.SearchStrategy[Any]] = {
        PartialDate: later("partial_dates"),
        Period: later("periods"),
        Profile: bundled("profiles"),
        model.FactSpec: later("fact_specs"),
        model.Names: later("names"),
        model.Source: later("sources"),
        model.Agency: later("agencies", ("src-a",), ("ag-a",)),
        model.Amendment: later("amendments", ("src-a",)),
        model.Relation: later("relations", ("reg-a",)),
        model.Deadline: later("deadlines"),
        model.Fine: later("fines"),
        model.Penalty: later("penalties"),
        model.Obligation: st.deferred(lambda: globals()["obligations"]("reg-a", globals()["bundled_vocabulary"](), ("src-a",))),
        model.Regulation: bundled("regulations", ("src-a",), ("ag-a",), ("reg-a", "reg-b")),
        model.Actor: later("actors", ("ag-a",)),
        model.Amount: later("amounts"),
        model.Event: later("events", ("src-a",), ("ag-a",), ("reg-a",)),
        model.Topic: st.deferred(lambda: st.sampled_from(globals()["TOPICS"])),
        Dataset: st.deferred(lambda: globals()["datasets"](globals()["VOCABULARY"], 3)),
    }

    def shaped(shape: type[Any]) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: globals()["condition_shapes"](globals()["bundled_vocabulary"]())[shape])

    for shape in (model.Fact, model.Compare, model.Member, model.AllOf, model.AnyOf, model.Not):
        registered[shape] = shaped(shape)
    for cls, strategy in registered.items():
        st.register_type_strategy(cls, strategy)


import datetime as dt
import functools
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from hypothesis import strategies as st

from cnpolicy.dates import PartialDate, Period
from cnpolicy.model import (
    Actor,
    Agency,
    AllOf,
    Amendment,
    Amount,
    AnyOf,
    Compare,
    Condition,
    Deadline,
    Event,
    EventKind,
    Fact,
    FactSpec,
    FactType,
    FactValue,
    Fine,
    FineTarget,
    Language,
    Level,
    Member,
    Modality,
    Names,
    Not,
    Obligation,
    Operator,
    Penalty,
    Reading,
    Regulation,
    RegulationKind,
    Relation,
    RelationType,
    Role,
    Source,
    SourceKind,
    TimeUnit,
    Topic,
)
from cnpolicy.profile import Profile

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset

T = TypeVar("T")

__all__ = [
    "TOPICS",
    "VOCABULARY",
    "actors",
    "agencies",
    "amendments",
    "amounts",
    "bundled_vocabulary",
    "condition_shapes",
    "conditions",
    "datasets",
    "days",
    "deadlines",
    "events",
    "fact_specs",
    "fact_values",
    "fines",
    "ids",
    "names",
    "obligations",
    "partial_dates",
    "penalties",
    "periods",
    "profiles",
    "regulations",
    "relations",
    "sources",
    "vocabularies",
]

# Named functions rather than lambdas: hypothesis describes a lambda by reading its source, which
# costs more than drawing when strategies are built inside a draw (as the record strategies are).


def _id_of(record: Any) -> str:
    return str(record.id)


def _name_of(record: Any) -> str:
    return str(record.name)


def _url_or_id(source: Source) -> str:
    return source.url or f"id:{source.id}"


def _one(item: str) -> tuple[str]:
    return (item,)


def _all_of(parts: list[Condition]) -> Condition:
    return AllOf(tuple(parts))


def _any_of(parts: list[Condition]) -> Condition:
    return AnyOf(tuple(parts))


def _by_name(specs: list[FactSpec]) -> dict[str, FactSpec]:
    return {spec.name: spec for spec in specs}


def _period(pair: tuple[PartialDate | None, PartialDate | None]) -> Period:
    return Period(*_ordered(*pair))


def _partial(day: dt.date, precision: int) -> PartialDate:
    return PartialDate(day.year, *(day.month, day.day)[:precision])


P = ParamSpec("P")
R = TypeVar("R")


def _frozen(value: object) -> object:
    """A hashable stand-in for an argument: lists as tuples, mappings as their items."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Mapping):
        return tuple(value.items())
    return value


def _memo(fn: Callable[P, R]) -> Callable[P, R]:
    """Build each strategy once per set of arguments (a strategy is immutable). Shrinking a dataset
    redraws it hundreds of times with the same ids; building the strategies anew each time
    (hypothesis validates each new one) cost a third of the time to the minimal example."""
    cache: dict[object, R] = {}

    @functools.wraps(fn)
    def memoised(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            key = (tuple(map(_frozen, args)), tuple(sorted((name, _frozen(v)) for name, v in kwargs.items())))
            found = cache.get(key)
        except TypeError:  # an argument that cannot be hashed: build without the cache
            return fn(*args, **kwargs)
        if found is None:
            if len(cache) >= 4096:
                cache.clear()
            found = cache[key] = fn(*args, **kwargs)
        return found

    return memoised


@st.composite
def _drawn(draw: st.DrawFn, build: Callable[[st.DrawFn], T]) -> T:
    """What ``build(draw)`` draws: the one composite behind every record strategy (hypothesis reads a
    composite function's source each time one is decorated, so they are not decorated per call)."""
    return build(draw)


#: The topics that generated records are filed under ("cii" is narrower than "review").
TOPICS: tuple[Topic, ...] = (
    Topic(id="data", label=Names(en="Data", zh="数据"), description="Data of every kind."),
    Topic(id="review", label=Names(en="Reviews"), description="Security reviews."),
    Topic(id="cii", label=Names(en="CII"), description="Critical information infrastructure.", broader="review"),
)
_TOPIC_IDS = [topic.id for topic in TOPICS]

#: A small fact vocabulary with one fact of each type, for tests that need no real data.
VOCABULARY: Mapping[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec(name="is_operator", type=FactType.BOOL, description="A yes/no fact."),
        FactSpec(name="is_platform", type=FactType.BOOL, description="Another yes/no fact."),
        FactSpec(name="users", type=FactType.INT, description="A count.", minimum=0),
        FactSpec(name="level", type=FactType.INT, description="A bounded level.", minimum=1, maximum=5),
        FactSpec(name="sector", type=FactType.CHOICE, description="A choice.", values=("telecom", "finance", "other")),
        FactSpec(name="services", type=FactType.SET, description="A set.", values=("cloud", "app", "search")),
    )
}


def bundled_vocabulary() -> Mapping[str, FactSpec]:
    """The bundled dataset's fact vocabulary (what ``st.from_type(Profile)`` draws over)."""
    from cnpolicy._load import load

    return load().facts


#: Short texts, English and Chinese: a few words drawn from a list (cheap to draw and to shrink), or free text.
_WORDS = ("law", "data", "network", "security", "review", "platform", "Measures", "网络安全法", "数据", "个人信息", "审查")
_TEXT = st.one_of(
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_WORDS), min_size=2, max_size=3).map(" ".join),
    st.text(alphabet=string.ascii_letters + " 网络安全法数据", min_size=1, max_size=8).map(str.strip).filter(bool),
)


# Strategies drawn over and over, built once (building and validating a strategy costs more than a draw).
_MAYBE_TEXT = st.none() | _TEXT
_TEXTS = st.lists(_TEXT, max_size=2).map(tuple)
_TOPIC_LISTS = st.lists(st.sampled_from(_TOPIC_IDS), max_size=2, unique=True).map(tuple)
_ARTICLES = st.lists(st.integers(1, 200).map(str), min_size=1, max_size=2).map(tuple)
_JURISDICTIONS = st.sampled_from(["CN", "US"])


@functools.lru_cache(maxsize=256)
def _some(choices: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    """One or two different ids of ``choices``, as a tuple (built once per set of choices)."""
    return st.lists(st.sampled_from(choices), min_size=1, max_size=2, unique=True).map(tuple)


_LOWER = st.sampled_from(string.ascii_lowercase)
_ID_PART = st.lists(st.sampled_from(string.ascii_lowercase + string.digits), min_size=1, max_size=4).map("".join)


#: The ids records are drawn with: kebab-case, short and long, one to three parts. A fixed pool costs
#: one choice where composing an id cost about ten, which makes datasets shrink faster.
_ID_POOL = (
    *("a", "b", "c", "x", "y", "z", "a1", "b2", "x9", "aa", "ab", "xyz", "a-b", "a-c", "b-a", "x1-b2", "ab-cd"),
    *("a-b-c", "x-y-z", "law", "rule", "cyber-law", "data-rule", "x1-y2-z3", "pipl", "csl-2016", "a0", "zz", "z-a"),
    *("q", "r", "s", "t"),
)


@functools.cache
def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Record ids: lower-case kebab-case (``a``, ``x1-b2``), from a small pool so that failing examples shrink fast."""
    return st.sampled_from(_ID_POOL).map(prefix.__add__)


@functools.cache
def partial_dates(min_year: int = 1990, max_year: int = 2035) -> st.SearchStrategy[PartialDate]:
    """Dates known to the year, month or day."""
    return st.builds(
        _partial,
        st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31)),
        st.integers(0, 2),
    )


@functools.cache
def days(min_year: int = 1990, max_year: int = 2035) -> st.SearchStrategy[dt.date]:
    """Calendar days."""
    return st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))


@functools.cache
def periods() -> st.SearchStrategy[Period]:
    """Periods with ordered ends, either end possibly open."""
    return st.tuples(st.none() | partial_dates(), st.none() | partial_dates()).map(_period)


@functools.cache
def fact_specs() -> st.SearchStrategy[FactSpec]:
    """Single fact specs of every type."""
    names = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)
    values = st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, max_size=4, unique=True).map(tuple)
    return st.one_of(
        st.builds(lambda n: FactSpec(name=n, type=FactType.BOOL, description="yes/no"), names),
        st.builds(lambda n: FactSpec(name=n, type=FactType.INT, description="count", minimum=0), names),
        st.builds(lambda n, v: FactSpec(name=n, type=FactType.CHOICE, description="choice", values=v), names, values),
        st.builds(lambda n, v: FactSpec(name=n, type=FactType.SET, description="set", values=v), names, values),
    )


def vocabularies(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[dict[str, FactSpec]]:
    """Fact vocabularies with unique names."""
    return st.lists(fact_specs(), min_size=min_size, max_size=max_size, unique_by=_name_of).map(_by_name)


def _int_values(spec: FactSpec) -> st.SearchStrategy[int]:
    low = spec.minimum if spec.minimum is not None else -10
    high = spec.maximum if spec.maximum is not None else max(low, 0) + 3_000_000
    return st.integers(low, high) | st.sampled_from([low, high])


def fact_values(spec: FactSpec) -> st.SearchStrategy[FactValue]:
    """Values that fit ``spec``."""
    if spec.type is FactType.BOOL:
        return st.booleans()
    if spec.type is FactType.INT:
        return _int_values(spec)
    if spec.type is FactType.CHOICE:
        return st.sampled_from(spec.values)
    return st.frozensets(st.sampled_from(spec.values))


def _leaf(spec: FactSpec) -> st.SearchStrategy[Condition]:
    if spec.type is FactType.BOOL:
        return st.just(Fact(spec.name))
    if spec.type is FactType.INT:
        return st.builds(Compare, st.just(spec.name), st.sampled_from(list(Operator)), _int_values(spec))
    members = st.lists(st.sampled_from(spec.values), unique=True).map(tuple)
    member = st.builds(Member, st.just(spec.name), members)
    if spec.type is FactType.CHOICE:
        return member | st.builds(Compare, st.just(spec.name), st.just(Operator.EQ), st.sampled_from(spec.values))
    return member


def conditions(vocabulary: Mapping[str, FactSpec] = VOCABULARY, max_depth: int = 3) -> st.SearchStrategy[Condition]:
    """Conditions over ``vocabulary``, nested at most ``max_depth`` levels (each fits its fact's type)."""
    return _conditions(tuple(vocabulary.values()), max_depth)


@functools.lru_cache(maxsize=64)
def _conditions(specs: tuple[FactSpec, ...], max_depth: int) -> st.SearchStrategy[Condition]:
    """`conditions`, built once per vocabulary and depth (a strategy is immutable, and building one costs)."""
    leaves = st.one_of([_leaf(spec) for spec in specs])
    if max_depth <= 0:
        return leaves
    inner = _conditions(specs, max_depth - 1)
    return st.one_of(
        leaves,
        st.lists(inner, max_size=3).map(_all_of),
        st.lists(inner, max_size=3).map(_any_of),
        inner.map(Not),
    )


def condition_shapes(vocabulary: Mapping[str, FactSpec] = VOCABULARY) -> dict[type[Any], st.SearchStrategy[Any]]:
    """A strategy for each condition class over ``vocabulary``: what ``st.from_type(Compare)`` and the like draw."""
    specs = list(vocabulary.values())
    inner = conditions(vocabulary, 2)
    by_type = {t: [spec for spec in specs if spec.type is t] for t in FactType}
    choices = by_type[FactType.CHOICE] + by_type[FactType.SET]
    compares = [_leaf(spec) for spec in by_type[FactType.INT]] + [
        st.builds(Compare, st.just(spec.name), st.just(Operator.EQ), st.sampled_from(spec.values))
        for spec in by_type[FactType.CHOICE]
    ]
    members = [st.builds(Member, st.just(s.name), st.lists(st.sampled_from(s.values), unique=True).map(tuple)) for s in choices]
    return {
        Fact: st.sampled_from([Fact(spec.name) for spec in by_type[FactType.BOOL]]) if by_type[FactType.BOOL] else st.nothing(),
        Compare: st.one_of(compares) if compares else st.nothing(),
        Member: st.one_of(members) if members else st.nothing(),
        AllOf: st.lists(inner, max_size=3).map(_all_of),
        AnyOf: st.lists(inner, max_size=3).map(_any_of),
        Not: inner.map(Not),
    }


def profiles(vocabulary: Mapping[str, FactSpec] = VOCABULARY, *, allow_unknown: bool = True) -> st.SearchStrategy[Profile]:
    """Profiles whose values fit ``vocabulary`` and agree with its implications (see `FactSpec.implies`);
    with ``allow_unknown``, some facts are left unstated."""
    specs = list(vocabulary.values())

    def build(draw: st.DrawFn) -> Profile:
        chosen = [s for s in specs if draw(st.booleans())] if allow_unknown else specs
        return Profile(facts=_consistent({s.name: draw(fact_values(s)) for s in chosen}, vocabulary))

    return _drawn(build)


def _consistent(facts: dict[str, FactValue], vocabulary: Mapping[str, FactSpec]) -> dict[str, FactValue]:
    """The facts with every stated fact that a holding fact implies made true, so that no implication is contradicted."""
    while True:
        implied, queue = set(), [name for name, value in facts.items() if vocabulary[name].holds(value)]
        while queue:
            for other in vocabulary[queue.pop()].implies:
                if other not in implied:
                    implied.add(other)
                    queue.append(other)
        wrong = [name for name in implied if facts.get(name) is False]
        if not wrong:
            return facts
        facts.update(dict.fromkeys(wrong, True))


def sources(source_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Source]:
    """Sources with http(s) URLs on official, reputable or other sites; official texts only on official ones, never copies."""
    other = st.sampled_from([kind for kind in SourceKind if kind is not SourceKind.OFFICIAL_TEXT])
    official = st.builds("https://www.example.gov.cn/{}".format, _ID_PART)
    elsewhere = st.builds(
        "https://{}/{}".format, st.sampled_from(["example.org", "www.reuters.com", "digichina.stanford.edu"]), _ID_PART
    )

    kinds = st.just(SourceKind.OFFICIAL_TEXT) | other
    urls = st.none() | official | elsewhere
    key = source_ids or ids("src-")

    def build(draw: st.DrawFn) -> Source:
        kind = draw(kinds)
        is_copy = False if kind is SourceKind.OFFICIAL_TEXT else draw(st.booleans())
        url = draw(official) if kind is SourceKind.OFFICIAL_TEXT else draw(urls)
        return Source(
            id=draw(key),
            title=draw(_TEXT),
            publisher=draw(_TEXT),
            language=draw(_LANGUAGES),
            kind=kind,
            last_checked=draw(days(2015, 2030)),
            date=draw(_MAYBE_DATE),
            url=url,
            copy=is_copy,
            document=draw(_MAYBE_TEXT) if is_copy else None,
            official_url=draw(st.none() | official) if is_copy else None,
            read=draw(_READINGS),
            notes=draw(_MAYBE_TEXT),
        )

    return _drawn(build)


@functools.cache
def names() -> st.SearchStrategy[Names]:
    """Names in English and, sometimes, Chinese."""
    return st.builds(Names, en=_TEXT, zh=st.none() | _TEXT)


@functools.cache
def deadlines() -> st.SearchStrategy[Deadline]:
    """Deadlines of 1 to 90 units."""
    return st.builds(Deadline, within=st.integers(1, 90), unit=st.sampled_from(list(TimeUnit)))


@functools.cache
def fines() -> st.SearchStrategy[Fine]:
    """Fines with a minimum no higher than the maximum, and sometimes a share of turnover."""
    return st.builds(
        Fine,
        target=st.sampled_from(list(FineTarget)),
        min=st.none() | st.integers(0, 10**6),
        max=st.none() | st.integers(10**6, 10**8),
        turnover_share_max=st.none() | st.sampled_from([0.01, 0.05]),
    )


@functools.cache
def penalties() -> st.SearchStrategy[Penalty]:
    """Penalties citing articles, with fines."""
    return st.builds(
        Penalty,
        articles=st.lists(st.integers(1, 200).map(str), max_size=2).map(tuple),
        fines=st.lists(fines(), max_size=2).map(tuple),
    )


@functools.cache
def amounts() -> st.SearchStrategy[Amount]:
    """Sums of money in CNY or USD."""
    return st.builds(Amount, value=st.integers(0, 10**10), currency=st.sampled_from(["CNY", "USD"]))


@_memo
def actors(agency_ids: Sequence[str] = ()) -> st.SearchStrategy[Actor]:
    """Actors: an agency of ``agency_ids`` or a named company or person, in a role."""
    named = st.builds(Actor, role=st.sampled_from(list(Role)), name=_TEXT)
    if not agency_ids:
        return named
    return st.builds(Actor, role=st.sampled_from(list(Role)), agency=st.sampled_from(agency_ids)) | named


@_memo
def relations(targets: Sequence[str]) -> st.SearchStrategy[Relation]:
    """Relations to one of ``targets``."""
    return st.builds(Relation, type=st.sampled_from(list(RelationType)), target=st.sampled_from(targets))


@_memo
def amendments(source_ids: Sequence[str], after: PartialDate | None = None) -> st.SearchStrategy[Amendment]:
    """Amendments citing ``source_ids``, effective (when known) in a later year than ``after``."""
    return st.builds(
        Amendment,
        id=st.sampled_from(["2021", "2023", "2025"]),
        summary=_TEXT,
        sources=st.sampled_from(source_ids).map(_one),
        effective=st.none() | partial_dates(after.latest.year + 1 if after else 1990, 2036),
    )


def _ordered(*dates: PartialDate | None) -> list[PartialDate | None]:
    """The same dates, sorted among those present, so that no two are surely out of order."""
    present = sorted(d for d in dates if d is not None)
    it = iter(present)
    return [None if d is None else next(it) for d in dates]


@_memo
def agencies(source_ids: Sequence[str], agency_ids: Sequence[str] = ()) -> st.SearchStrategy[Agency]:
    """Agencies citing ``source_ids`` and pointing (parent, predecessors) only at ``agency_ids``."""
    refs = st.lists(st.sampled_from(agency_ids), max_size=2, unique=True).map(tuple) if agency_ids else st.just(())
    cited = _some(tuple(source_ids))
    parents = st.none() | st.sampled_from(agency_ids) if agency_ids else st.none()

    def build(draw: st.DrawFn) -> Agency:
        established, dissolved = _ordered(draw(_MAYBE_DATE), draw(_MAYBE_DATE))
        return Agency(
            id=draw(ids("ag-")),
            name=draw(names()),
            jurisdiction=draw(_JURISDICTIONS),
            level=draw(_LEVELS),
            sources=draw(cited),
            abbreviations=draw(_TEXTS),
            parent=draw(parents),
            predecessors=draw(refs),
            established=established,
            dissolved=dissolved,
        )

    return _drawn(build)


@_memo
def obligations(
    regulation_id: str, vocabulary: Mapping[str, FactSpec], source_ids: Sequence[str], amendment_ids: Sequence[str] = ()
) -> st.SearchStrategy[Obligation]:
    """Obligations of one regulation, with conditions over ``vocabulary``."""

    cited = _some(tuple(source_ids))
    condition = st.none() | conditions(vocabulary, 2) if vocabulary else st.none()
    introduced = st.none() | st.sampled_from(amendment_ids) if amendment_ids else st.none()

    def build(draw: st.DrawFn) -> Obligation:
        return Obligation(
            id=f"{regulation_id}.{draw(ids('art'))}",
            regulation=regulation_id,
            articles=draw(_ARTICLES),
            modality=draw(_MODALITIES),
            duty_bearer=draw(_TEXT),
            action=draw(_TEXT),
            sources=draw(cited),
            applies_if=draw(condition),
            valid=draw(_MAYBE_PERIOD),
            introduced_by=draw(introduced),
            deadline=draw(_MAYBE_DEADLINE),
            penalty=draw(_MAYBE_PENALTY),
            topics=draw(_TOPIC_LISTS),
        )

    return _drawn(build)


@_memo
def regulations(
    vocabulary: Mapping[str, FactSpec],
    source_ids: Sequence[str],
    agency_ids: Sequence[str],
    regulation_ids: Sequence[str] = (),
    *,
    regulation_id: str | None = None,
) -> st.SearchStrategy[Regulation]:
    """Regulations with ordered dates, obligations, amendments and relations to ``regulation_ids``."""

    cited = _some(tuple(source_ids))
    issuers = _some(tuple(agency_ids))

    def build(draw: st.DrawFn) -> Regulation:
        key = regulation_id or draw(ids("reg-"))
        adopted, effective, repealed = _ordered(draw(_MAYBE_DATE), draw(_MAYBE_DATE), draw(_MAYBE_DATE))
        floor = effective or adopted
        changes = draw(st.lists(amendments(source_ids, floor), max_size=2, unique_by=_id_of))
        amendment_ids = [a.id for a in changes]
        targets = [r for r in regulation_ids if r != key]
        earlier = set(regulation_ids[: list(regulation_ids).index(key)]) if key in regulation_ids else set()
        # a version supersedes only versions drawn before it, so that chains of versions never loop
        linked = [
            relation
            for relation in (draw(st.lists(relations(targets), max_size=2)) if targets else [])
            if relation.type is not RelationType.SUPERSEDES or relation.target in earlier
        ]
        items = draw(st.lists(obligations(key, vocabulary, source_ids, amendment_ids), max_size=4, unique_by=_id_of))
        return Regulation(
            id=key,
            title=draw(names()),
            kind=draw(_REGULATION_KINDS),
            jurisdiction=draw(_JURISDICTIONS),
            issued_by=draw(issuers),
            sources=draw(cited),
            aliases=draw(_TEXTS),
            document_number=draw(_MAYBE_DOCUMENT_NUMBER),
            adopted=adopted,
            effective=effective,
            repealed=repealed if repealed is None or floor is None or floor < repealed else None,
            amendments=tuple(changes),
            relations=tuple(linked),
            topics=draw(_TOPIC_LISTS),
            summary=draw(_MAYBE_TEXT),
            obligations=tuple(items),
        )

    return _drawn(build)


#: Document numbers in the usual writing: issuer, year in 〔〕, number, 号.
_DOCUMENT_NUMBERS = st.builds(
    "{}〔{}〕{}号".format, st.sampled_from(["国办发", "工信部", "GB"]), st.integers(2000, 2029), st.integers(1, 999)
)


@_memo
def events(source_ids: Sequence[str], agency_ids: Sequence[str], regulation_ids: Sequence[str] = ()) -> st.SearchStrategy[Event]:
    """Events whose actors, regulations and sources resolve."""
    return st.builds(
        Event,
        id=ids("ev-"),
        date=partial_dates(),
        kind=st.sampled_from(list(EventKind)),
        title=_TEXT,
        sources=st.lists(st.sampled_from(source_ids), min_size=1, max_size=2, unique=True).map(tuple),
        summary=st.none() | _TEXT,
        actors=st.lists(actors(agency_ids), max_size=3).map(tuple),
        regulations=(st.lists(st.sampled_from(regulation_ids), max_size=2, unique=True) if regulation_ids else st.just([])).map(
            tuple
        ),
        amounts=st.lists(amounts(), max_size=1).map(tuple),
        country=st.none() | _COUNTRIES,
        target_country=st.none() | _COUNTRIES,
    )


_COUNTRIES = st.sampled_from(["CN", "US", "EU", "GB"])
_MAYBE_DOCUMENT_NUMBER = st.none() | _DOCUMENT_NUMBERS


def datasets(vocabulary: Mapping[str, FactSpec] | None = None, max_regulations: int = 4) -> st.SearchStrategy[Dataset]:
    """Whole consistent datasets: every reference resolves and dates are in order."""
    from cnpolicy.dataset import Dataset

    def build(draw: st.DrawFn) -> Dataset:
        facts = dict(vocabulary) if vocabulary is not None else draw(vocabularies())
        source_list = draw(st.lists(sources(), min_size=1, max_size=4, unique_by=(_id_of, _url_or_id)))
        source_ids = [s.id for s in source_list]
        agency_list: list[Agency] = []
        for _ in range(draw(st.integers(1, 3))):
            agency = draw(agencies(source_ids, [a.id for a in agency_list]))
            if agency.id not in {a.id for a in agency_list}:
                agency_list.append(agency)
        agency_ids = [a.id for a in agency_list]
        regulation_ids = draw(st.lists(ids("reg-"), max_size=max_regulations, unique=True))
        regulation_list = [
            draw(regulations(facts, source_ids, agency_ids, regulation_ids, regulation_id=key)) for key in regulation_ids
        ]
        event_list = draw(st.lists(events(source_ids, agency_ids, regulation_ids), max_size=4, unique_by=_id_of))
        return Dataset.from_records(
            facts=facts.values(),
            topics=TOPICS,
            agencies=agency_list,
            sources=source_list,
            regulations=regulation_list,
            events=event_list,
        )

    return _drawn(build)


# Strategies drawn for many fields of many records, built once (see `_MAYBE_TEXT`).
_MAYBE_DATE = st.none() | partial_dates()
_MAYBE_PERIOD = st.none() | periods()
_MAYBE_DEADLINE = st.none() | deadlines()
_MAYBE_PENALTY = st.none() | penalties()
_LANGUAGES = st.sampled_from(list(Language))
_READINGS = st.none() | st.sampled_from(list(Reading))
_LEVELS = st.sampled_from(list(Level))
_MODALITIES = st.sampled_from(list(Modality))
_REGULATION_KINDS = st.sampled_from(list(RegulationKind))
