"""GB 32100-2015 unified social credit codes: accepted, refused, and where the error is."""

import pytest

from portal.models.credit_code import (
    ALPHABET,
    CreditCodeError,
    check_character,
    make_credit_code,
    validate_credit_code,
)

# A code published as the standard's worked example, and codes completed by the algorithm.
VALID = ["91350100M000100Y43", make_credit_code("91450000MA5K9ABCD"), make_credit_code("1" * 17)]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code: str) -> None:
    assert validate_credit_code(code) == code


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_credit_code("  91350100m000100y43 ") == "91350100M000100Y43"


def test_weights_are_powers_of_three_mod_31() -> None:
    from portal.models.credit_code import WEIGHTS

    assert WEIGHTS[:9] == (1, 3, 9, 27, 19, 26, 16, 17, 20)
    assert WEIGHTS[-1] == 28


@pytest.mark.parametrize("code", ["9135010", "91350100M000100Y431", ""])
def test_wrong_length_says_how_long(code: str) -> None:
    with pytest.raises(CreditCodeError, match=f"this one has {len(code.strip())}"):
        validate_credit_code(code)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_alphabet_name_their_position(letter: str) -> None:
    code = "91350100M000100Y43"
    bad = code[:9] + letter + code[10:]
    with pytest.raises(CreditCodeError, match="Character 10"):
        validate_credit_code(bad)


def test_every_single_character_typo_is_caught() -> None:
    code = "91350100M000100Y43"
    for position in range(17):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(CreditCodeError, match="check character"):
                validate_credit_code(typo)


def test_check_character_31_reads_as_zero() -> None:
    # Find a prefix whose weighted sum is a multiple of 31: its check value 31 becomes "0".
    for n in range(10_000):
        prefix = f"91{n:015d}"
        total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(prefix))
        if total % 31 == 0:
            assert check_character(prefix) == "0"
            return
    pytest.fail("no prefix found")
