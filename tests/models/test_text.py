"""Text fields refuse what no reader can see, and keep everything a reader can."""

import pytest
from pydantic import ValidationError

from portal.models.inspection import InspectionCreate

BASE = {
    "id": "INS-X-1",
    "publisher_id": "DEP-MEE",
    "enterprise_id": "ENT-1",
    "inspected_on": "2024-01-01",
    "inspection_type": "routine",
    "outcome": "compliant",
}


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_invisible_characters_are_refused_with_their_position(char: str) -> None:
    with pytest.raises(ValidationError) as err:
        InspectionCreate.model_validate({**BASE, "findings_zh": "ab" + char + "cd"})
    assert f"character 3 is an invisible control character (U+{ord(char):04X})" in str(err.value)


@pytest.mark.parametrize(
    "text", ["第一行\n第二行\t缩进", "‮right-to-left", "零宽\u200b空格", "emoji 🐟"]
)
def test_visible_and_layout_characters_are_kept(text: str) -> None:
    assert InspectionCreate.model_validate({**BASE, "findings_zh": text}).findings_zh == text


def test_text_is_stripped_and_must_not_be_empty() -> None:
    assert InspectionCreate.model_validate({**BASE, "findings_zh": "  x  "}).findings_zh == "x"
    with pytest.raises(ValidationError, match="at least 1 character"):
        InspectionCreate.model_validate({**BASE, "findings_zh": "   "})


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(ValidationError, match="valid string"):
        InspectionCreate.model_validate({**BASE, "findings_zh": "ab\ud800"})
