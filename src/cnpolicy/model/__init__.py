"""The typed records of cnpolicy: pure data, no I/O."""

from cnpolicy.model.agencies import Agency, Level
from cnpolicy.model.common import Names
from cnpolicy.model.conditions import AllOf, AnyOf, Compare, Condition, Fact, Member, Not, Operator
from cnpolicy.model.events import Actor, Amount, Event, EventKind, Role
from cnpolicy.model.facts import FactSpec, FactType, FactValue
from cnpolicy.model.obligations import Deadline, Fine, FineTarget, Modality, Obligation, Penalty, TimeUnit
from cnpolicy.model.regulations import Amendment, Regulation, RegulationKind, Relation, RelationType
from cnpolicy.model.sources import Language, Reading, Source, SourceKind
from cnpolicy.model.tiers import Tier
from cnpolicy.model.topics import Topic

__all__ = [
    "Actor",
    "Agency",
    "AllOf",
    "Amendment",
    "Amount",
    "AnyOf",
    "Compare",
    "Condition",
    "Deadline",
    "Event",
    "EventKind",
    "Fact",
    "FactSpec",
    "FactType",
    "FactValue",
    "Fine",
    "FineTarget",
    "Language",
    "Level",
    "Member",
    "Modality",
    "Names",
    "Not",
    "Obligation",
    "Operator",
    "Penalty",
    "Reading",
    "Regulation",
    "RegulationKind",
    "Relation",
    "RelationType",
    "Role",
    "Source",
    "SourceKind",
    "Tier",
    "TimeUnit",
    "Topic",
]
