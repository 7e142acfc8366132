"""Unified social credit code checks per GB 32100-2015."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...


class CreditCodeError(ValueError):
    """A unified social credit code is malformed; the message names the position."""


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the code in upper case, or raise CreditCodeError saying what is wrong and where."""
    normalised = code.strip().upper()
    if len(normalised) != 18:
        raise CreditCodeError(
            f"A unified social credit code has 18 characters; this one has {len(normalised)}."
        )
    for position, ch in enumerate(normalised, start=1):
        if ch not in VALUES:
            raise CreditCodeError(
                f"Character {position} ({ch!r}) is not allowed: the code uses 0-9 and "
                "ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V or Z)."
            )
    expected = check_character(normalised[:17])
    if normalised[17] != expected:
        raise CreditCodeError(
            f"Character 18 (the check character) is {normalised[17]!r} but the first 17 "
            f"characters give {expected!r}: a character was probably mistyped."
        )
    return normalised


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (for samples and tests)."""
    return first17 + check_character(first17)
