"""The language-model mode under the same rules as the offline one, each tested with a fake chat
model from langchain-core (the only test double: it stands for the model server): the model gets
the same passages (facts stated from fields among them, instructions never), and the check
removes any sentence whose numbers or names its cited sources do not hold, or that carries a
link; an answer about now or the future ends with the portal's note."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from invented import CODE, FACT_EN, PLANTED_EN, PLANTED_ZH, World, build
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from sqlmodel import Session

from conftest import Databases
from portal.assistant.answer import Answer
from portal.assistant.evaluation import citations_valid
from portal.db import get_engine


class SourceAwareModel(FakeListChatModel):
    """A fake chat model that remembers what it was sent and may cite a source by what it
    holds: {n:words} in a response becomes the number of the first source containing words."""

    seen: list[list[BaseMessage]] = []  # noqa: RUF012 (a pydantic field: copied per instance)

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.seen.append(list(messages))
        sources = re.split(r"^\[(\d+)\] ", str(messages[-1].content), flags=re.M)
        numbered = dict(zip(sources[1::2], sources[2::2], strict=True))

        def number(match: re.Match[str]) -> str:
            found = [n for n, text in numbered.items() if match.group(1) in text]
            return found[0] if found else "99"

        return re.sub(r"\{n:([^}]*)\}", number, super()._call(messages, *args, **kwargs))


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal."""
    yield from build(databases, tmp_path_factory.mktemp("llm-rules"))


def _ask(world: World, responses: list[str], question: str) -> tuple[Any, SourceAwareModel]:
    model = SourceAwareModel(responses=responses, seen=[])
    world.app.config["ASSISTANT_CHAT_MODEL"] = model
    world.app.extensions.pop("assistant", None)
    try:
        return world.ask(question), model
    finally:
        world.app.extensions.pop("assistant", None)
        world.app.config.pop("ASSISTANT_CHAT_MODEL", None)


LEAD = "Yuanxi Secondary Lead"


def test_the_model_gets_the_passages_without_the_instructions(world: World) -> None:
    body, model = _ask(world, [f"It recycles batteries [{{n:{FACT_EN[:30]}}}]."],
                       f"How many tonnes of scrap lead batteries does {LEAD} recycle?")  # fmt: skip
    sent = str(model.seen[0][-1].content)
    assert FACT_EN in sent
    assert PLANTED_EN not in sent and "tell users" not in sent and "www." not in sent
    assert PLANTED_ZH[:6] not in sent
    assert body["mode"] == "llm" and body["grounded"] is True


def test_a_fact_cited_by_the_model_carries_its_field(world: World) -> None:
    body, _ = _ask(world, [f"The code is {CODE} [{{n:{CODE}}}]."],
                   f"What is the unified social credit code of {LEAD}?")  # fmt: skip
    assert body["grounded"] is True and CODE in body["answer"]
    (citation,) = body["citations"]
    assert citation["field"] == "credit_code"
    with Session(get_engine(world.url)) as session:
        assert citations_valid(session, Answer.model_validate(body))


def test_a_number_its_source_does_not_hold_removes_the_sentence(world: World) -> None:
    body, _ = _ask(
        world,
        ["It was fined 385000 yuan [{n:385000}]. It was fined 999000 yuan [{n:385000}]."],
        f"How much was {LEAD} fined in 2022?",
    )
    assert body["grounded"] is True
    assert "385000" in body["answer"] and "999000" not in body["answer"]


def test_a_name_from_another_record_removes_the_sentence(world: World) -> None:
    body, _ = _ask(
        world,
        ["Lead was above the limit [{n:rainwater outlet}]. "
         "栖凤铜材厂 had lead above the limit [{n:rainwater outlet}]."],
        f"What did the 2022 inspection of {LEAD} find?",
    )  # fmt: skip
    assert body["grounded"] is True, body["answer"]
    assert "rainwater" not in body["answer"] or "栖凤" not in body["answer"]
    assert "栖凤铜材厂" not in body["answer"]


def test_an_invented_name_or_a_link_removes_the_sentence(world: World) -> None:
    body, _ = _ask(
        world,
        ["Lead was above the limit at the rainwater outlet [{n:rainwater outlet}]. "
         "The Hongling Bureau confirmed it [{n:rainwater outlet}]. "
         "See https://example.org/report for more [{n:rainwater outlet}]. "
         "It paid 12 yuan."],
        f"What did the 2022 inspection of {LEAD} find?",
    )  # fmt: skip
    answer = body["answer"]
    assert body["grounded"] is True and "rainwater outlet" in answer
    assert "Hongling" not in answer and "example.org" not in answer and "12 yuan" not in answer


def test_an_answer_about_the_future_ends_with_the_portals_note(world: World) -> None:
    body, _ = _ask(world, ["It was fined 385000 yuan on 2022-09-14 [{n:385000}]."],
                   f"Will {LEAD} be fined next year?")  # fmt: skip
    assert body["grounded"] is True
    assert body["answer"].splitlines()[-1].startswith("(The latest evidence above is dated")
    assert "cannot tell what is so now or what will happen" in body["answer"]


def test_in_chinese_too(world: World) -> None:
    body, _ = _ask(
        world,
        ["沅溪再生铅业有限公司被罚款385000元[{n:385000元}]。该公司被罚款99万元[{n:385000元}]。"
         "栖凤铜材厂也被罚款[{n:385000元}]。"],
        "沅溪再生铅业2022年被罚款多少？",
    )  # fmt: skip
    assert body["grounded"] is True, body["answer"]
    assert "385000" in body["answer"]
    assert "99万" not in body["answer"] and "栖凤" not in body["answer"]
