from __future__ import annotations

from pathlib import Path

import pytest

from cnpolicy import Profile, ProfileError
from cnpolicy.strategies import VOCABULARY


def test_unknown_fact_is_named_with_suggestion() -> None:
    with pytest.raises(ProfileError, match="unknown fact 'is_operater'; did you mean is_operator"):
        Profile(facts={"is_operater": True}).check(VOCABULARY)


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ({"is_operator": "false"}, "fact 'is_operator': expected true or false, got 'false'"),
        ({"users": True}, "fact 'users': expected a whole number"),
        ({"level": 9}, "fact 'level': must be at most 5"),
        ({"sector": "energy"}, "fact 'sector': 'energy' is not one of telecom, finance, other"),
        ({"services": ["cloud", "mail"]}, "fact 'services': 'mail' not among"),
    ],
)
def test_wrong_types_are_named(facts: dict[str, object], words: str) -> None:
    with pytest.raises(ProfileError, match=words.replace("(", r"\(")):
        Profile(facts=facts).check(VOCABULARY)


def test_not_stated_is_unknown_not_false() -> None:
    profile = Profile(facts={"users": 3})
    assert "is_operator" not in profile
    assert profile.get("is_operator") is None


def test_with_facts_and_without_make_new_profiles() -> None:
    profile = Profile(facts={"users": 3})
    refined = profile.with_facts(is_operator=True)
    assert dict(refined) == {"is_operator": True, "users": 3}
    assert dict(profile) == {"users": 3}
    assert dict(refined.without(["users"])) == {"is_operator": True}


def test_immutable_and_hashable() -> None:
    profile = Profile(facts={"services": ["app"]})
    assert profile["services"] == frozenset({"app"})
    assert hash(profile) == hash(Profile(facts={"services": ["app"]}))
    with pytest.raises(AttributeError):
        profile.facts = {}  # type: ignore[misc]


def test_from_yaml(tmp_path: Path) -> None:
    file = tmp_path / "p.yaml"
    file.write_text("facts:\n  is_operator: true\n  users: 2000000\n")
    assert dict(Profile.from_yaml(file, VOCABULARY)) == {"is_operator": True, "users": 2_000_000}
    file.write_text("users: lots\n")
    with pytest.raises(ProfileError, match=r"p.yaml:1: users: fact 'users'"):
        Profile.from_yaml(file, VOCABULARY)
    with pytest.raises(ProfileError, match="cannot read profile"):
        Profile.from_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ProfileError, match="takes the path of a YAML file, not YAML text") as caught:
        Profile.from_yaml("facts:\n  is_operator: true\n")
    assert "is_operator" not in str(caught.value)  # the text is not echoed back as a file name


def test_bad_shapes() -> None:
    with pytest.raises(ProfileError, match="mapping"):
        Profile(facts=["users"])  # type: ignore[arg-type]
    with pytest.raises(ProfileError, match="strings"):
        Profile(facts={"services": [1, 2]})


def test_a_count_above_zero_implies_what_it_implies() -> None:
    """A count implies yes/no facts when it is above zero (people whose data went abroad this year)."""
    from cnpolicy.model import FactSpec, FactType

    vocabulary = {
        "abroad": FactSpec(name="abroad", type=FactType.BOOL, description="Sends data abroad."),
        "sent": FactSpec(name="sent", type=FactType.INT, description="People sent.", minimum=0, implies=("abroad",)),
    }
    assert Profile.from_dict({"sent": 3}, vocabulary).implied == {"abroad": "sent"}
    assert Profile.from_dict({"sent": 0}, vocabulary).implied == {}  # zero implies nothing
    assert Profile.from_dict({"abroad": False}, vocabulary).implied == {}  # nor is a count inferred from a false fact
    assert Profile.from_dict({"abroad": False, "sent": 0}, vocabulary)["sent"] == 0
    with pytest.raises(ProfileError, match="'abroad' is false, but 'sent' is 3 and implies it"):
        Profile.from_dict({"sent": 3, "abroad": False}, vocabulary)
