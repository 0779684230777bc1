from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnpolicy import PartialDate, Period, Precision
from cnpolicy.strategies import days, partial_dates


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2014", Precision.YEAR, dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
        ("2016-02", Precision.MONTH, dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2014-05-22", Precision.DAY, dt.date(2014, 5, 22), dt.date(2014, 5, 22)),
    ],
)
def test_parse(text: str, precision: Precision, earliest: dt.date, latest: dt.date) -> None:
    value = PartialDate.parse(text)
    assert value.precision is precision
    assert (value.earliest, value.latest) == (earliest, latest)
    assert str(value) == text


def test_parse_date_object_but_not_datetime() -> None:
    assert PartialDate.parse(dt.date(2017, 6, 1)) == PartialDate(2017, 6, 1)
    with pytest.raises(ValueError, match="date and time"):
        PartialDate.parse(dt.datetime(2017, 6, 1, 10, 0))


@pytest.mark.parametrize("text", ["2014-5", "14", "2014-13", "2014-02-30", "2014/05/22", "May 2014", "2014-05-22T10:00", ""])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"month|day|expected"):
        PartialDate.parse(text)


def test_day_needs_month() -> None:
    with pytest.raises(ValueError, match="needs a month"):
        PartialDate(2014, None, 3)


@given(partial_dates())
def test_str_round_trip(value: PartialDate) -> None:
    assert PartialDate.parse(str(value)) == value


@given(partial_dates())
def test_earliest_le_latest_and_both_inside(value: PartialDate) -> None:
    assert value.earliest <= value.latest
    assert value.on_or_before(value.latest) is True
    assert value.on_or_before(value.earliest - dt.timedelta(days=1)) is False


@given(partial_dates(), partial_dates(), partial_dates())
def test_total_order(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    assert (a < b) + (a == b) + (a > b) == 1
    if a <= b and b <= c:
        assert a <= c
    assert sorted([a, b, c]) == sorted([c, b, a])


def test_less_precise_sorts_first() -> None:
    assert PartialDate.parse("2014") < PartialDate.parse("2014-01") < PartialDate.parse("2014-01-01")


@given(partial_dates(), days())
def test_on_or_before_agrees_with_bounds(value: PartialDate, day: dt.date) -> None:
    answer = value.on_or_before(day)
    if answer is True:
        assert value.latest <= day
    elif answer is False:
        assert value.earliest > day
    else:
        assert value.earliest <= day < value.latest


def test_period_partial_start_is_unknown_inside_the_month() -> None:
    period = Period(from_=PartialDate.parse("2014-05"))
    assert period.contains(dt.date(2014, 5, 10)) is None
    assert period.contains(dt.date(2014, 4, 30)) is False
    assert period.contains(dt.date(2014, 6, 1)) is True


def test_period_until_is_exclusive() -> None:
    period = Period(from_=PartialDate.parse("2017-06-01"), until=PartialDate.parse("2020-06-01"))
    assert period.contains(dt.date(2020, 5, 31)) is True
    assert period.contains(dt.date(2020, 6, 1)) is False


@given(st.none() | partial_dates(), st.none() | partial_dates(), days())
def test_period_open_ends(start: PartialDate | None, end: PartialDate | None, day: dt.date) -> None:
    answer = Period(from_=start, until=end).contains(day)
    if start is None and end is None:
        assert answer is True
    if answer is True:
        assert start is None or start.latest <= day
        assert end is None or end.earliest > day
