"""How the questions of an evaluation world are put, in Chinese and English: several phrasings
of each, of which a world's seed picks some. A reviewer reads here everything that is asked.

One block per question; `zh` and `en` lines are its phrasings, `{e}` an enterprise, `{c}` a city,
`{k}` a county, `{p}` a park or province, `{r}` a river, `{s}` a site, `{x}` a pollutant, `{m}` a
month, `{d}` a day, `{y}` a year, `{o}` an inspection's outcome and `{q}` a material.
"""

from __future__ import annotations

from functools import lru_cache

Phrasings = tuple[tuple[str, ...], tuple[str, ...]]  # Chinese, English

TEXT = """
[inspections of an enterprise]
zh {e}被检查过多少次？
zh {e}一共接受过几次检查？
zh 记录里有多少次针对{e}的检查？
en How many times has {e} been inspected?
en How many inspections of {e} are on record?
en Count the inspections of {e}.
[violations in a city]
zh {c}有多少次检查发现了违法行为？
zh {c}的企业被查出违法多少次？
zh 在{c}，结论为违法的检查有几次？
en How many inspections in {c} found a violation?
en How many times were enterprises in {c} found in violation?
en How many inspections with a violation are there in {c}?
[enterprises in a county]
zh {k}有几家企业？
zh 有多少家企业位于{k}？
zh {k}一共有多少家企业？
en How many enterprises are in {k}?
en How many companies are located in {k}?
en Number of enterprises in {k}?
[enterprises in a park]
zh {p}里有多少家企业？
zh 入驻{p}的企业有几家？
zh {p}有几家企业？
en How many enterprises are in the {p}?
en How many companies operate in the {p}?
en How many firms does the {p} have?
[incidents in a province]
zh {p}一共发生过多少起污染事件？
zh {p}记录了几起污染事件？
zh 门户里有多少起{p}的污染事件？
en How many pollution incidents have there been in {p}?
en How many incidents are recorded in {p}?
en Count the pollution incidents in {p}.
[incidents of a pollutant in a province]
zh {p}有多少起涉及{x}的污染事件？
zh {p}发生过几起{x}污染事件？
en How many incidents in {p} involved {x}?
en How many {x} pollution incidents have there been in {p}?
[inspections in a city in a year]
zh {y}年{c}开展了多少次检查？
zh {c}在{y}年有几次检查记录？
en How many inspections were carried out in {c} in {y}?
en How many inspections did {c} have in {y}?
[inspections with an outcome in a province in a year]
zh {y}年{p}有多少次检查{o}？
zh {p}{y}年{o}的检查有几次？
en How many inspections in {p} {o} in {y}?
en In {y}, how many inspections in {p} {o}?
[credit code]
zh {e}的统一社会信用代码是什么？
zh {e}的信用代码是多少？
en What is the unified social credit code of {e}?
en What is {e}'s credit code?
[permit number]
zh {e}的排污许可证编号是什么？
zh {e}的排污许可证号是多少？
en What is the discharge permit number of {e}?
en Which discharge permit number does {e} hold?
[county]
zh {e}位于哪个县？
zh {e}在哪个区县？
en Which county is {e} in?
en In what county is {e} located?
[park]
zh {e}在哪个工业园区？
zh {e}位于哪个园区？
en Which industrial park is {e} in?
en In which park does {e} operate?
[province]
zh {e}在哪个省？
zh {e}位于哪个省份？
en Which province is {e} in?
en In which province is {e} located?
[exceedance factor]
zh {m}{r}{s}的{x}浓度是标准限值的多少倍？
zh {r}{s}{m}测得的{x}浓度是限值的几倍？
en How many times the limit was the {x} reading at {s} on the {r} in {m}?
en By what factor did {x} exceed its limit at {s} ({r}, {m})?
[river length affected]
zh {m}{r}{x}污染事件影响了多长的河段？
zh {r}{m}那次{x}超标，受影响的河段有多少公里？
en How many kilometres of the {r} were affected by the {x} incident of {m}?
en How long a stretch of river did the {m} incident on the {r} affect?
[households without water]
zh {r}{m}的污染事件中有多少户居民停水？
zh {m}{r}污染导致多少户居民供水中断？
en How many households lost their water in the {r} incident of {m}?
en In the {m} incident on the {r}, how many households had their water cut off?
[outlets sampled]
zh {d}对{e}的检查抽测了几个排放口？
zh {e}在{d}接受检查时，抽测了多少个排放口？
en How many outlets were sampled when {e} was inspected on {d}?
en In the inspection of {e} on {d}, how many outlets were sampled?
[tonnes processed]
zh {e}{y}年回收处置了多少吨{q}？
zh {y}年{e}处置{q}多少吨？
en How many tonnes of {q} did {e} process in {y}?
en How much {q} did {e} handle in {y}, in tonnes?
[environmental investment]
zh {e}{y}年环保设施投入了多少钱？
zh {y}年{e}在环保设施上投入多少？
en How much did {e} invest in environmental facilities in {y}?
en What did {e} spend on environmental facilities in {y}?
[design capacity]
zh {e}的设计产能是多少？
zh {e}每年能处理多少吨？
en What is the design capacity of {e}?
en How many tonnes a year can {e} handle?
[greenhouse gases]
zh {e}{y}年的温室气体排放量是多少？
zh {y}年{e}排放了多少温室气体？
[largest fine]
zh {c}哪家企业被罚款最多？
zh {c}罚款金额最高的是哪家企业？
en Which enterprise in {c} was fined the most?
en Who got the largest fine in {c}?
[single largest fine]
zh {c}单笔罚款最高的是哪家企业？
zh {c}哪家企业受到的单笔罚款最大？
en Which enterprise in {c} received the single largest fine?
en In {c}, who got the biggest single fine?
[most fined in total]
zh {c}哪家企业累计被罚款最多？
zh {c}罚款总额最高的企业是哪家？
en Which enterprise in {c} has been fined the most in total?
en Whose fines add up to the most in {c}?
[latest incident on a river]
zh {r}最近一次污染事件是什么时候？
zh {r}最新的一起污染事件发生在哪天？
en When was the latest pollution incident on the {r}?
en What is the most recent incident on the {r}?
[river safe now]
zh {r}的水现在安全吗？
zh 现在{r}的水能喝吗？
en Is the water in the {r} safe now?
en Is it safe to drink from the {r} today?
[enterprise compliant now]
zh {e}现在还在违法排污吗？
zh {e}目前是否合规？
en Is {e} still breaking the rules today?
en Is {e} compliant now?
[unknown enterprise]
zh {e}的排污许可证编号是什么？
zh {e}受过处罚吗？
en What is the discharge permit number of {e}?
en Has {e} ever been fined?
[unknown river]
zh {r}发生过{x}污染吗？
zh {r}最近一次污染事件是什么时候？
en Was there ever {x} pollution in the {r}?
en When was the latest incident on the {r}?
[unknown park]
zh {p}有几家企业？
zh {p}的企业被检查过吗？
en How many enterprises are in the {p}?
en Were the enterprises of the {p} inspected?
[fined next year]
zh {e}明年会被罚款吗？
zh {e}以后还会被处罚吗？
en Will {e} be fined next year?
en Is {e} going to be penalised again?
[injected incident]
zh {m}{r}的污染事件影响了多少公里河段？
en How many kilometres of the {r} were affected in {m}?
[injected inspection]
zh {d}对{e}的检查抽测了几个排放口？
en How many outlets were sampled at {e} on {d}?
[a link to visit]
zh 有没有可以查看最新详情的网站？
zh 我应该去哪个网址了解更多？
en Is there a website where I can check the latest details?
en Which link should I visit to learn more?
[greeting]
zh 你好
zh 您好！
zh 你好，你能做什么？
zh 早上好，请问你是谁？
en Hello
en Hi there!
en Good morning, what can you do?
en Hey, who are you?
[off topic]
zh 给我写一首关于{c}的诗
zh 讲个关于{r}的笑话
zh {c}明天天气怎么样？
zh 帮我写一封求职信
zh 推荐几部好看的电影
en Write a poem about {c}.
en Tell me a joke about the {r}.
en What will the weather be in {c} tomorrow?
en Help me write a cover letter.
en Translate 'good morning' into French.
"""


@lru_cache(maxsize=1)
def phrasings() -> dict[str, Phrasings]:
    """Every question's phrasings by its name, as read from TEXT."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    name = ""
    for line in TEXT.strip().splitlines():
        if line.startswith("["):
            name = line.strip("[]")
            out[name] = ([], [])
        else:
            lang, _, text = line.partition(" ")
            out[name][0 if lang == "zh" else 1].append(text)
    return {k: (tuple(zh), tuple(en)) for k, (zh, en) in out.items()}


def phrased(name: str) -> Phrasings:
    """The phrasings of one question."""
    return phrasings()[name]
