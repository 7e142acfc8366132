"""Exceedance factors are computed from data/standards.csv, never typed in."""

from decimal import Decimal

import pytest

from portal.models import vocab


def test_longjiang_luodong_reading_is_about_five_times_class_iii() -> None:
    # 19 Jan 2012, Luodong station dam: Cd 0.0247 mg/L against the Class III limit 0.005 mg/L.
    result = vocab.exceedance("Cd", Decimal("0.0247"), "mg/L", "GB 3838-2002", "III")
    assert result is not None
    assert result.factor == Decimal("4.94")
    assert result.exceeds
    assert result.limit.limit == Decimal("0.005")


def test_within_the_limit_is_not_an_exceedance() -> None:
    result = vocab.exceedance("As", Decimal("0.0301"), "mg/L", "GB 3838-2002", "III")
    assert result is not None and not result.exceeds
    assert result.factor == Decimal("0.60")


def test_micrograms_are_converted() -> None:
    result = vocab.exceedance("Cd", Decimal("24.7"), "µg/L", "GB 3838-2002", "III")
    assert result is not None and result.factor == Decimal("4.94")


@pytest.mark.parametrize(
    ("pollutant", "unit", "standard", "klass"),
    [
        ("COD", "mg/L", "GB 3838-2002", "III"),  # pollutant without a limit on file
        ("Cd", "mg/m3", "GB 3838-2002", "III"),  # a unit that cannot be compared
        ("Cd", "mg/L", "GB 31574-2015", None),  # a standard whose limits are not on file
        ("Cd", "mg/L", None, None),  # no standard named
        ("Cd", "mg/L", "GB 3838-2002", "VI"),  # no such class
    ],
)
def test_no_limit_on_file_is_none_not_a_guess(
    pollutant: str, unit: str, standard: str | None, klass: str | None
) -> None:
    assert vocab.exceedance(pollutant, Decimal("1"), unit, standard, klass) is None


def test_standards_table_holds_the_domain_limits() -> None:
    table = {(r.standard, r.standard_class, r.pollutant): r.limit for r in vocab.limits()}
    assert table[("GB 3838-2002", "I", "Hg")] == Decimal("0.00005")
    assert table[("GB 3838-2002", "V", "Cd")] == Decimal("0.01")
    assert table[("GB 5749-2006", "", "As")] == Decimal("0.01")
    assert table[("GB 8978-1996", "", "Cr")] == Decimal("1.5")
    assert all(r.source for r in vocab.limits())
    assert len(table) == 35 + 7 + 7


@pytest.mark.parametrize(
    ("name", "code"),
    [("镉", "Cd"), ("cadmium", "Cd"), ("CD", "Cd"), ("Cr(VI)", "Cr6"), ("nope", None)],
)
def test_pollutant_names(name: str, code: str | None) -> None:
    assert vocab.pollutant_code(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("广西", "45"),
        ("Guangxi", "45"),
        ("广西壮族自治区", "45"),
        ("450000", "45"),
        ("Atlantis", None),
    ],
)
def test_province_names(name: str, code: str | None) -> None:
    assert vocab.province_code(name) == code
