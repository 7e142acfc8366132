"""The assistant's small bilingual vocabulary: words that carry no topic, words that mark the
domain, what a question's words look like in a record, and cues for kinds, outcomes and intents.

Names (rivers, places, enterprises, pollutants, provinces) come from data/ through the search
synonyms and the controlled vocabularies; this file holds only the language around them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from portal.assistant.text import words_of as _words
from portal.models import vocab
from portal.search.text import synonyms


def _groups(text: str) -> tuple[tuple[str, ...], ...]:
    """Lines of words separated by semicolons, as tuples (a line ending in ";" goes on)."""
    joined = re.sub(r";\s*\n\s*", "; ", text.strip())
    return tuple(
        tuple(w.strip() for w in line.split(";") if w.strip()) for line in joined.splitlines()
    )


def _phrases(text: str) -> tuple[str, ...]:
    """Words and phrases separated by semicolons (over several lines), as one tuple."""
    return tuple(w for group in _groups(text) for w in group)


def _keyed(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Lines of "key: word; word", as (key, words) pairs (a line ending in ";" goes on)."""
    out = []
    for words in _groups(text):
        key, _, first = words[0].partition(":")
        out.append((key.strip(), (first.strip(), *words[1:])))
    return tuple(out)


# Question words, function words and verbs that say nothing about the topic.
EN_STOP = frozenset(
    _words(
        """
        a about above after again all also am an and any anyone anything are as at be been before
        being between both but by can could data did do does doing done during each else ever every
        find for found from get give got had happen happened happening has have having he held her
        here hers him his hold how i if in info information into is it its itself just kind know let
        like list made make many may me might more most much must my no nor not now number occur
        occurred of off on once one only or other our out over own please portal record records said
        say see shall she should show so some something sort such take taken tell than that the
        their them then there these they thing things this those through to too took under until
        up us very want was we were what whatever when where whether which while who whom whose
        why will with within would you your yours
        """
    )
)

ZH_STOP = frozenset(
    _words(
        """
        前 及 过 么 所 请 着 时 了 并 要 这 月 而 中 曾 我 把 说 哦 吧 该 啊 还 给 想 已 对 几 等 被
        嗯 名 谁 此 和 起 您 那 呀 就 也 或 位 能 一 是 上 日 项 家 但 讲 嘛 从 吗 下 又 后 以 哪 与
        为 之 在 有 呢 其 会 各 都 共 个 年 号 到 由 的 你 次 内 这些 那些 何时 你们 我们 几家 为何
        哪里 几个 记录 已经 告诉 是否 几项 几名 这个 哪儿 知道 几起 曾经 怎么 一些 什么 信息
        回事 多少 哪个 哪些 没有 关于 进行 出现 数据 可以 几次 那个 如何 情况 怎样 相关 哪家
        请问 发生 一下 哪年 有没有 多少家 为什么 多少项 多少个 怎么样 多少名 哪一年 多少起
        是不是 多少次 怎么回事 什么时候
        """
    )
)


# A question with none of these words (and no name the portal knows) is off the portal's topic.
DOMAIN_WORDS = frozenset(
    _words(
        """
        aluminium aluminum batteries battery bureau cargo clearwater companies company compliant
        contaminated contamination copper customs department departments discharge discharged
        disclose disclosure disclosures dismantling ecology effluent emission emissions
        enterprise enterprises environment environmental exceed exceedance exceeded factories
        factory fine fined heavy incident incidents inspected inspection inspections lead leak
        leaks limit limits metal metals mine mines mining ministry monitoring outlet penalties
        penalty permit permits plant plants pollutant pollutants pollute polluted pollution
        punished punishment rectification recycle recycled recycling refinery river rivers scrap
        secondary slag smelt smelter smelters smelting spill spills standard standards tailings
        violation violations wastewater water zinc
        """
    )
)

ZH_DOMAIN = _words(
    """
    污染 排放 排污 废水 废气 废渣 尾矿 冶炼 再生 回收 金属 重金属 矿 河 江 溪 水 标准 限值 超标
    检查 抽查 处罚 罚款 罚 许可 披露 环境 环保 生态 局 部门 企业 公司 厂 事件 事故 泄漏 违规 违法
    整改 合规 监测 排口 清水 海关 拆解 电池 废料 固废 危废 危险废物 镉 铅 锌 砷 汞 铜 铬 镍 铊 锑
    """
)


# What a question's word looks like in a record (both languages), one group a line.
CONCEPTS: tuple[tuple[str, ...], ...] = _groups(
    """
    responsible; cause; caused; causing; blame; source; culprit; 责任; 责任方; 造成; 导致; 肇事;
    污染源; 认定
    punished; punish; punishment; penalty; penalties; penalised; penalized; fine; fined; jailed;
    sentenced; prison; 处罚; 处分; 罚款; 罚金; 判刑; 判处; 问责; 惩罚; 罚
    enterprise; company; firm; plant; factory; 企业; 公司; 厂
    spill; spills; leak; leaked; pollution; incident; 泄漏; 污染; 事件
    released; release; discharged; 释放; 排入; 进入
    treat; treatment; response; measures; handled; 处置; 应急; 措施; 处理
    limit; standard; 标准; 限值
    exceed; exceeded; above; over; times; 超标; 超过; 倍; 超
    fish; 鱼
    dead; died; 死亡
    drink; drinking; 饮用
    deadline; 期限; 日内
    yuan; 元; 多少钱; 钱
    tonne; tonnes; ton; tons; t; 吨
    kilometre; kilometres; kilometer; kilometers; km; 公里; 千米
    officials; official; 官员
    managers; manager; 管理人员
    inspection; inspected; 检查; 抽查
    violation; violations; violated; 违规; 违法; 违反
    rectify; rectification; rectified; 整改
    reply; responded; response; 回应; 答复
    permit; 许可; 许可证
    insurance; insured; 保险
    tax; 税
    carbon; 碳
    monitoring; monitor; monitors; 监测
    outlet; outlets; 排放口; 排口; 排污口
    sampled; sample; samples; sampling; 抽测; 采样; 取样; 抽样
    hazardous; 危险
    waste; 废物; 废
    river; 河; 江; 溪
    water; 水
    emergency; 应急
    disclosure; disclosed; 披露
    accountability; 问责
    affected; 受影响
    peak; 峰值
    ended; end; 终止; 结束
    suspended; 停产
    closed; 关停; 关闭
    found; discovered; 发现
    measured; concentration; reading; readings; level; 浓度; 读数; 监测值
    """
)


# Words that mean one thing together, with the forms records use.
PHRASES: tuple[tuple[str, ...], ...] = _groups(
    """
    carbon dioxide; CO2; 二氧化碳
    heavy metals; heavy metal; 重金属
    emergency pond; 应急池
    emergency plan; 应急预案
    discharge permit; permit; 排污许可证; 排污许可
    environmental protection tax; 环境保护税
    pollution liability insurance; liability insurance; 责任保险
    credit rating; 信用评价
    overhead crane; crane; 起重机
    dead fish; 死鱼; fish died
    water plant; 水厂
    emergency response; 应急响应
    design capacity; 设计产能; capacity
    hazardous waste; 危险废物; 危废
    tailings pond; 尾矿库
    wastewater treatment; 废水处理
    """
)


# "How much can it handle a year?": what an enterprise can do in a year, its capacity, not what
# one year's report says it did; and the words a record states a capacity with.
CAPACITY_PATTERNS = (
    r"\bcapacity\b",
    r"\b(can|could|able to)\b.{0,60}\b(handle|process|recycle|produce|treat|smelt|make)\b",
    r"(产能|处理能力|生产能力|设计能力|规模)",
    r"(每年|一年|年)?(能|可以|可)(处理|加工|回收|生产|处置|冶炼|利用)",
)
CAPACITY_WORDS = _phrases(
    """
    design capacity; capacity; a year; per year; annually; each year; every year; 设计产能;
    产能; 处理能力; 每年; 年产; /年; 年处理; 年回收
    """
)

# Which kind of record a question is about, by its words (the first kind found wins).
KIND_CUES: tuple[tuple[str, tuple[str, ...]], ...] = _keyed(
    """
    inspections: inspection; inspections; inspected; 检查; 抽查; 巡查; 执法
    incidents: incident; incidents; spill; spills; accident; accidents; 事件; 事故; 泄漏
    disclosures: disclosure; disclosures; report; reports; 披露; 报告
    enterprises: enterprise; enterprises; company; companies; firm; firms; smelter; smelters;
    plant; plants; 企业; 公司; 工厂; 冶炼厂
    departments: department; departments; bureau; bureaus; 部门; 生态环境局
    """
)

# Inspection outcomes by the words a citizen uses; "failed" covers both kinds of finding.
OUTCOME_CUES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (tuple(key.split()), words)
    for key, words in _keyed(
        """
        violation rectification_ordered: failed; fail; 不合格; 不达标; 未通过
        violation: violation; violations; violated; breach; breaches; non-compliant;
        noncompliant; 违规; 违法; 违反
        rectification_ordered: rectification; rectify; 整改
        compliant: compliant; passed; 合规; 达标; 合格
        """
    )
)

STATUS_CUES: tuple[tuple[str, tuple[str, ...]], ...] = _keyed(
    """
    investigating: investigating; under investigation; 调查中; 正在调查
    contained: contained; 已控制; 得到控制
    closed: closed; 已结束; 已关闭; 结案
    reported: reported; 已报告; 刚报告
    """
)


# The question asks for a figure or a date.
FIGURE_CUES = _phrases(
    """
    how much; how many; how big; how large; how long; how far; when; what year; which year
    concentration; 多少; 几; 何时; 什么时候; 哪年; 哪一年; 浓度; 多大; 多久
    """
)

# The question asks who: an enterprise or a party held responsible.
WHO_CUES = _phrases(
    """
    who; which enterprise; which enterprises; which company; which companies; which plant
    which firm; responsible; 谁; 哪家; 哪些企业; 哪个企业; 哪些公司; 责任
    """
)

# The question asks how many records (with a kind named right after).
COUNT_CUES = _phrases(
    """
    how many; number of; count of; 多少; 几次; 几起; 几家; 几个; 几项; 数量; 总数
    """
)

# The question asks for a list of records.
LIST_CUES = _phrases(
    """
    which; list; what enterprises; what companies; 哪些; 哪几; 哪家; 列出; 有哪
    """
)

# The question asks where something is (a province, a city, a county, a park).
WHERE_CUES = _phrases(
    """
    where; which province; which city; which county; which district; which park; located;
    location; 哪里; 哪儿; 在哪; 位于; 哪个省; 哪个市; 哪个县; 哪个区; 哪个园区; 哪个工业园;
    什么地方; 所在; 哪一个省; 哪个地方
    """
)

# The question asks about the present or the future, which dated records cannot tell.
NOW_OR_LATER_CUES = _phrases(
    """
    now; right now; currently; current; today; at present; presently; nowadays; these days;
    at the moment; still; yet; anymore; any more; will; going to; next year; next month;
    next week; in future; in the future; future; upcoming; from now on; later this year
    现在; 目前; 当前; 如今; 眼下; 今天; 仍然; 依然; 还在; 至今; 将会; 将要; 即将; 会不会;
    会被; 是否会; 明年; 下个月; 今后; 未来; 以后; 将来
    """
)

# Words that point back into the conversation.
FOLLOW_UP_CUES_EN = _phrases(
    """
    it; its; they; them; their; this; that; these; those; there; he; she; same
    """
)

FOLLOW_UP_CUES_ZH = _phrases(
    """
    它; 它们; 其; 该; 这; 那; 此; 他们; 这起; 这家; 那家; 上述; 同一
    """
)


GREETINGS = frozenset(
    _words(
        """
        afternoon bye cheers evening goodbye greetings hello hey hi hiya howdy morning thank thanks
        thx 下午好 你好 再见 哈喽 嗨 在不在 在吗 多谢 您好 感谢 拜拜 早上好 晚上好 谢谢
        """
    )
)

ABOUT_CUES = _phrases(
    """
    who are you; what are you; what can you do; how do you work; help; 你是谁; 你能做什么
    你会什么; 怎么用; 帮助; 你可以做什么
    """
)

# Requests for a task rather than a fact from the records: off the portal's topic whatever
# words come with them ("tell me a joke about recycling").
TASK_PATTERNS = (
    r"\b(joke|jokes|poem|poems|poetry|story|stories|song|lyrics|essay|limerick|haiku|riddle|"
    r"recipe|recipes)\b",
    r"\b(write|compose|draft|translate)\b.{0,20}\b(me|a|an|the|this|into)\b",
    r"\b(python|javascript|sql query|source code)\b",
    r"(笑话|写一首|写首|写一篇|作文|诗歌|一首诗|故事|歌词|翻译|菜谱|食谱|写代码|编程)",
)

# Subjects no record holds, whatever place comes with them ("the weather in Qianjun
# tomorrow"): off the portal's topic unless the question also asks about something the records
# do hold ("did the rain cause the spill?").
ELSEWHERE_PATTERNS = (
    r"\b(weather|forecasts?|temperatures?|rain(s|ing|y)?|snow(s|ing|y)?|sunny|windy|umbrella)\b",
    r"\b(restaurants?|hotels?|cuisine|tourists?|tourism|sightseeing|attractions?|flights?|"
    r"trains?|vacations?)\b",
    r"\b(stock|share|house|housing|property) (price|market)s?\b|\b(real estate|rent)\b",
    r"\b(football|soccer|basketball|lottery)\b",
    r"(天气|气温|下雨|下雪|降雨|降温|晴天|雨天|刮风|带伞|穿什么)",
    r"(餐厅|饭店|美食|好吃|小吃|酒店|宾馆|旅游|景点|好玩|机票|火车票|高铁|航班|度假)",
    r"(股价|股票|房价|租房|房子|彩票|足球|篮球|比赛|比分)",
)

INJECTION_PATTERNS = (
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instruction|instructions|rules?|"
    r"prompts?|guidelines|directions|polic(y|ies))\b",
    r"\bsystem prompt\b",
    r"\b(reveal|show|print|repeat)\b.{0,30}\b(prompt|instructions)\b",
    r"\byou are now\b",
    r"\b(act|behave) as\b",
    r"\bpretend (to be|you are)\b",
    r"\b(jailbreak|developer mode|dan mode)\b",
    r"\bno (longer|more) (bound|restricted)\b",
    r"(忽略|无视|忘记|忘掉|绕过|不要理会).{0,12}(指令|指示|规则|提示|要求|设定)",
    r"(系统提示|提示词|系统指令)",
    r"(扮演|假装你是|你现在是|从现在起你是)",
    r"越狱",
)


@lru_cache(maxsize=1)
def concept_table() -> dict[str, frozenset[str]]:
    """Each concept word (case-folded) and every word that counts as it."""
    table: dict[str, set[str]] = {}
    for group in CONCEPTS:
        for word in group:
            table.setdefault(word.casefold(), set()).update(group)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def pollutant_aliases() -> dict[str, str]:
    """Pollutant names and symbols a question may use, case-folded, to their codes.

    The symbol "As" and the word "as" cannot be told apart, nor "PM" from the afternoon: those
    count only by name."""
    out: dict[str, str] = {}
    for p in vocab.pollutants().values():
        for name in (p.name_zh, p.name_en):
            out[name.casefold()] = p.code
        if p.code not in ("As", "PM", "Cr", "COD"):
            out[p.code.casefold()] = p.code
    return out


@lru_cache(maxsize=1)
def place_groups() -> tuple[frozenset[str], ...]:
    """Names of rivers, places, enterprises and departments that mean the same thing, from the
    search synonyms (龙江, Longjiang, 龙江河), without the plain words that file also holds."""
    groups = []
    seen: set[frozenset[str]] = set()
    generic = {w.casefold() for group in CONCEPTS for w in group} | DOMAIN_WORDS
    for names in synonyms().values():
        if names in seen:
            continue
        seen.add(names)
        if any(n.casefold() in generic or n.casefold() in pollutant_aliases() for n in names):
            continue
        if not any(n[:1].isupper() and n.isascii() for n in names):  # a plain word, not a name
            continue
        groups.append(names)
    return tuple(groups)
