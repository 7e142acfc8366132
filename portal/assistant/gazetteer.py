"""The names the database holds, as a question may write them: a gazetteer built from the records
themselves (enterprises, departments, cities, counties, parks, rivers, places and sites, with the
provinces and pollutants of the vocabularies), rebuilt when the data version moves.

Each name is kept in the forms people write it: as recorded, without a legal suffix (有限公司,
Co., Ltd.), without the administrative unit (岚屿市 -> 岚屿, Muxi County -> Muxi), the trade name
of an enterprise without its region and industry (岚屿市澄岭再生铅有限公司 -> 澄岭), and its
pinyin. Nothing here is a list of names: only the shape of names in general.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from portal.assistant import lexicon
from portal.assistant.folding import fold, latin_key, pinyin_keys
from portal.assistant.text import CJK, words_of
from portal.models import vocab
from portal.models.department import Department
from portal.models.disclosure import DisclosureFigure
from portal.models.enterprise import Enterprise
from portal.models.incident import Incident, IncidentReading
from portal.models.labels import LABELS
from portal.records.listing import data_version

# The legal form ending an enterprise's name, longest first.
ZH_ORG = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "总公司",
          "分公司", "公司", "集团", "总厂", "厂")  # fmt: skip
EN_ORG = ("co ltd", "co limited", "company limited", "company ltd", "corporation", "limited",
          "company", "group", "corp", "ltd", "inc", "co", "plant", "works", "factory")  # fmt: skip
# Words of an industry that follow the trade name (the rule for enterprise names in China:
# region + trade name + industry + legal form).
ZH_INDUSTRY = ("再生资源", "再生金属", "有色金属", "新材料", "再生铅", "再生铜", "再生铝",
               "再生锌", "冶炼", "冶金", "有色", "金属", "材料", "矿业", "铅业", "铜业", "锌业",
               "铝业", "化工", "科技", "环保", "实业", "资源", "回收", "循环", "电池", "拆解",
               "贸易", "工业", "制品", "加工", "发展", "再生", "铅", "铜", "锌", "铝")  # fmt: skip
EN_INDUSTRY = frozenset(
    words_of("""secondary recycled recycling resources resource smelting smelter smeltery metallurgy
    metallurgical nonferrous non-ferrous metals metal materials material mining lead copper zinc
    aluminium aluminum chemical chemicals technology tech environmental environment industrial
    industry industries trading battery batteries dismantling processing new development
    refinery refining mine""")
)
# Administrative units a place's name ends with.
ZH_UNITS = {"city": ("市",), "county": ("县", "区", "旗", "市"),
            "park": ("工业园区", "产业园区", "经济开发区", "开发区", "工业园", "园区"),
            "river": ("河", "江", "溪")}  # fmt: skip
EN_UNITS = {"city": ("city",), "county": ("county", "district"),
            "park": ("industrial park", "industrial zone", "park", "zone"),
            "river": ("river", "creek", "stream")}  # fmt: skip
PLACE_KINDS = ("city", "county", "park", "river", "site")


@dataclass(frozen=True, eq=False)
class Entity:
    """One named thing of the records: an enterprise, a department, a place of some kind."""

    kind: str  # enterprise, department, city, county, park, river, site, province, pollutant
    key: str  # the record id, the vocabulary code, or the name as recorded (for places)
    zh: str
    en: str
    short: tuple[str, ...] = ()  # shorter forms people write (trade names, names less units)

    def name(self, lang: str) -> str:
        """The name in a language, else the other one."""
        return (self.en or self.zh) if lang == "en" else (self.zh or self.en)

    @property
    def filter_value(self) -> str:
        """The value a listing filter takes: the id, the code, or the name as recorded."""
        return (
            self.key
            if self.kind in ("enterprise", "department", "province", "pollutant")
            else (self.en or self.zh)
        )

    @property
    def names(self) -> frozenset[str]:
        """Every spelling a record may use for it."""
        return frozenset(n for n in (self.zh, self.en, *self.short) if n)


@dataclass
class Gazetteer:
    """Forms of every name, folded, to the entities they name."""

    full: dict[str, set[Entity]] = field(default_factory=dict)  # as recorded, or less a unit
    short: dict[str, set[Entity]] = field(default_factory=dict)  # trade names
    pinyin: dict[str, set[Entity]] = field(default_factory=dict)
    codes: dict[str, Entity] = field(default_factory=dict)  # credit codes, permit numbers
    entities: list[Entity] = field(default_factory=list)
    longest: int = 1

    def add(self, entity: Entity, forms: Iterable[str], table: str) -> None:
        """Index an entity under some forms of its names."""
        into = getattr(self, table)
        for form in forms:
            key = latin_key(form) if not CJK.search(form) else fold(form).replace(" ", "")
            if len(key) < 2 or key in GENERIC:
                continue
            into.setdefault(key, set()).add(entity)
            self.longest = max(self.longest, len(key))
            if CJK.search(form) and table != "pinyin":
                for reading in pinyin_keys(form):
                    self.pinyin.setdefault(reading, set()).add(entity)


def _strip_end(text: str, endings: Iterable[str]) -> str:
    for ending in sorted(endings, key=len, reverse=True):
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)].rstrip(" ,.")
    return text


def _strip_start(text: str, starts: Iterable[str]) -> str:
    """The text less the names it starts with (`starts` in lower case)."""
    changed = True
    while changed:
        changed = False
        lowered = text.lower()
        for start in starts:
            if start and lowered.startswith(start) and len(text) > len(start) + 1:
                text, changed = text[len(start) :].lstrip(" ,."), True
                break
    return text


def place_forms(kind: str, name: str) -> list[str]:
    """A place's name as recorded and without its unit (沐溪县 -> 沐溪, Muxi County -> Muxi)."""
    units = ZH_UNITS.get(kind, ()) if CJK.search(name) else EN_UNITS.get(kind, ())
    bare = name if CJK.search(name) else latin_key(name)
    stem = _strip_end(bare, units)
    out = [name]
    if stem != bare and (len(stem) >= 2 if CJK.search(stem) else len(stem) >= 3):
        out.append(stem)
    if not CJK.search(name) and kind in EN_UNITS and stem == bare:
        out += [f"{bare} {EN_UNITS[kind][0]}"]  # Tangjiang -> Tangjiang River
    if kind == "river" and CJK.search(name) and not name.endswith("河"):
        out.append(f"{name}河")  # 棠江 -> 棠江河, as people also write it
    return out


_ZH_REGION = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:省|自治区|市|自治州|州|盟|县|区|旗)")


def trade_names(name: str, regions: list[str]) -> list[str]:
    """The shorter names of an enterprise: less its legal form, its region (`regions`: names
    of provinces, cities and counties as Chinese and as Latin keys, longest first), its
    industry."""
    if CJK.search(name):
        core = _strip_start(_strip_end(name, ZH_ORG), regions)
        while True:  # a region the records do not hold as a place: 棠川县, 霁州市
            unit = _ZH_REGION.match(core)
            if unit is None or len(core) - unit.end() < 2:
                break
            core = core[unit.end() :]
        trade = core
        while True:
            shorter = _strip_end(trade, ZH_INDUSTRY)
            if shorter == trade or len(shorter) < 2:
                break
            trade = shorter
        return [f for f in dict.fromkeys((core, trade)) if len(f) >= 2 and f != name]
    words = latin_key(name)
    core = _strip_start(_strip_end(words, EN_ORG), regions)
    parts = core.split()
    while len(parts) > 1 and parts[-1] in EN_INDUSTRY:
        parts.pop()
    trade = " ".join(parts)
    return [f for f in dict.fromkeys((core, trade)) if len(f) >= 4 and f != words]


def _rows(session: Session, *columns: Any) -> Iterator[Any]:
    table = columns[0].class_
    stmt = select(*columns)
    if hasattr(table, "withdrawn_at"):
        stmt = stmt.where(col(table.withdrawn_at).is_(None))
    yield from session.execute(stmt.distinct())


def build(session: Session) -> Gazetteer:
    """The gazetteer of the database a session reads."""
    gaz = Gazetteer()
    places: dict[tuple[str, str], Entity] = {}

    def place(kind: str, zh: str | None, en: str | None) -> None:
        if not (zh or en):
            return
        key = (kind, fold(zh or en or ""))
        if key not in places:
            places[key] = Entity(kind, zh or en or "", zh or "", en or "")

    E, D, Inc = Enterprise, Department, Incident  # the tables, briefly
    enterprises = list(
        _rows(session, col(E.id), E.name_zh, E.name_en, E.credit_code, E.permit_number,
              E.city_zh, E.city_en, E.county_zh, E.county_en, E.park_zh, E.park_en)
    )  # fmt: skip
    for row in enterprises:
        place("city", row.city_zh, row.city_en)
        place("county", row.county_zh, row.county_en)
        place("park", row.park_zh, row.park_en)
    for row in _rows(session, col(Inc.id), Inc.river_zh, Inc.river_en, Inc.place_zh, Inc.place_en,
                     Inc.city_zh, Inc.city_en):  # fmt: skip
        place("river", row.river_zh, row.river_en)
        place("site", row.place_zh, row.place_en)
        place("city", row.city_zh, row.city_en)
    for table in (IncidentReading, DisclosureFigure):
        for row in session.execute(select(col(table.site_zh), col(table.site_en)).distinct()):
            place("site", row.site_zh, row.site_en)
    departments = list(_rows(session, col(D.id), D.name_zh, D.name_en, D.formerly_zh,
                             D.formerly_en, D.city_zh, D.city_en))  # fmt: skip
    for row in departments:
        place("city", row.city_zh, row.city_en)
    regions = [n for p in vocab.provinces().values() for n in (p.name_zh, p.short_zh, p.name_en)]
    for entity in places.values():
        if entity.kind in ("city", "county"):
            regions += [f for n in (entity.zh, entity.en) if n for f in place_forms(entity.kind, n)]
    regions = sorted({r if CJK.search(r) else latin_key(r) for r in regions}, key=len)[::-1]
    for entity in places.values():
        forms = [f for n in (entity.zh, entity.en) if n for f in place_forms(entity.kind, n)]
        gaz.add(entity, forms, "full")
        gaz.entities.append(entity)
    for row in enterprises:
        names = [n for n in (row.name_zh, row.name_en) if n]
        short = tuple(f for n in names for f in trade_names(n, regions))
        entity = Entity("enterprise", row.id, row.name_zh, row.name_en or "", short)
        bare = [_strip_end(n, ZH_ORG) if CJK.search(n) else _strip_end(latin_key(n), EN_ORG)
                for n in names]  # fmt: skip
        gaz.add(entity, names + bare, "full")
        gaz.add(entity, short, "short")
        for code in (row.credit_code, row.permit_number):
            if code:
                gaz.codes[code.upper()] = entity
        gaz.entities.append(entity)
    for row in departments:
        formerly = tuple(n for n in (row.formerly_zh, row.formerly_en) if n)
        entity = Entity("department", row.id, row.name_zh, row.name_en or "", formerly)
        gaz.add(entity, [row.name_zh, row.name_en or "", *formerly], "full")
        gaz.entities.append(entity)
    for p in vocab.provinces().values():
        entity = Entity("province", p.code, p.name_zh, p.name_en, (p.short_zh,))
        gaz.add(entity, (p.name_zh, p.short_zh, p.name_en), "full")
    for alias, code in lexicon.pollutant_aliases().items():
        pollutant = vocab.pollutants()[code]
        if CJK.search(alias) or len(alias) > 2:
            gaz.add(
                Entity("pollutant", code, pollutant.name_zh, pollutant.name_en), [alias], "full"
            )
    return gaz


def _generic() -> frozenset[str]:
    """Words of the language around names, never a name's short form on their own."""
    words = set(lexicon.ZH_STOP) | set(lexicon.EN_STOP) | set(lexicon.DOMAIN_WORDS)
    words |= set(lexicon.ZH_DOMAIN) | {w.casefold() for g in lexicon.CONCEPTS for w in g}
    words |= {w.casefold() for _, cues in lexicon.KIND_CUES for w in cues}
    words |= {v.casefold() for pair in LABELS.values() for v in pair}
    words |= set(ZH_INDUSTRY) | EN_INDUSTRY | set(ZH_ORG) | set(EN_ORG)
    return frozenset(words)


GENERIC = _generic()


class _Cache:
    """One gazetteer per database, rebuilt when its data version moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[Any, Gazetteer]] = {}

    def get(self, engine: Any) -> Gazetteer:
        url = str(engine.url)
        with Session(engine) as session:
            version = data_version(session)
            kept = self._kept.get(url)
            if kept and kept[0] == version:
                return kept[1]
            with self._lock:
                kept = self._kept.get(url)
                if kept and kept[0] == version:
                    return kept[1]
                gaz = build(session)
                self._kept[url] = (version, gaz)
                return gaz


_CACHE = _Cache()


def gazetteer_for(engine: Any) -> Gazetteer:
    """The gazetteer of a database, cached per data version (portal.records.listing)."""
    return _CACHE.get(engine)
