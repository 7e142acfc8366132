"""The search's query (search/query.py builds it, for both engines) as a PostgreSQL tsquery.

The user's words go through `text_query`, the same code the Whoosh engine runs: the same
segmentation, synonyms, phrases and exclusions, as a tree of terms and phrases by field. Here the
tree becomes tsquery text: a field is a weight (search/pg/vectors.py), a phrase is `<->`, an
exclusion `!`. Every lexeme is quoted by us and the text is sent as a bound parameter and cast,
never run through a parser, so nothing a user types can change the query's shape.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.query import And, AndNot, Every, Or, Phrase, Query, Term

from portal.search.pg.vectors import FIELDS, gram_lexeme, quote, usable
from portal.search.query import FIELD_LABELS, GRAMS

# A field's weight; the pairs' lexemes are marked instead (vectors.GRAM_MARK), and match
# under any weight: ALL_WEIGHTS writes no mark, which spares PostgreSQL a recheck.
WEIGHTS = {field: weight for field, (weight, _) in FIELDS.items()} | {GRAMS: "ABCD"}
ALL_WEIGHTS = "ABCD"
NOTHING = "' '"  # a lexeme no analysis makes (a space): what an empty alternative matches


def _weights(fields: set[str]) -> str:
    marks = "".join(sorted({w for f in fields for w in WEIGHTS[f]}))
    return "" if marks == ALL_WEIGHTS else f":{marks}"


def _lexeme(field: str, text: str) -> str:
    """A term's lexeme: a pair of characters is marked (vectors.gram_lexeme), words are not."""
    return gram_lexeme(text) if field == GRAMS else text


def _alternatives(queries: list[Query]) -> str:
    """An Or: terms and phrases met in several fields merged into one, with those weights."""
    terms: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    others: list[str] = []
    for sub in queries:
        if type(sub) is Term and usable(sub.text):
            terms.setdefault(_lexeme(sub.fieldname, sub.text), set()).add(sub.fieldname)
        elif type(sub) is Phrase and all(usable(w) for w in sub.words):
            words = tuple(_lexeme(sub.fieldname, w) for w in sub.words)
            phrases.setdefault(words, set()).add(sub.fieldname)
        elif type(sub) not in (Term, Phrase):
            others.append(translate(sub) or "")
    parts = [f"{quote(t)}{_weights(f)}" for t, f in terms.items()]
    for words, fields in phrases.items():
        marks = _weights(fields)
        parts.append("(" + " <-> ".join(f"{quote(w)}{marks}" for w in words) + ")")
    parts += [p for p in others if p]
    if not parts:
        return f"({NOTHING})"
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def translate(query: Query) -> str | None:
    """The tsquery text of a query tree; None when it matches every document."""
    kind = type(query)
    if kind is Every:
        return None
    if kind in (Term, Phrase, Or):
        return _alternatives(list(query.subqueries) if kind is Or else [query])
    if kind is And:
        parts = [p for p in (translate(q) for q in query.subqueries) if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"
    if kind is AndNot:
        positive, negative = translate(query.a), translate(query.b)
        if negative is None:
            return f"({NOTHING})"  # excluding everything leaves nothing
        return f"!{negative}" if positive is None else f"({positive} & !{negative})"
    raise TypeError(f"no tsquery for a {kind.__name__}")  # search/query.py makes no other


def leaves(query: Query, negated: bool = False) -> Iterator[tuple[Query, bool]]:
    """The terms and phrases of a query tree, and whether each is under an exclusion."""
    if type(query) in (Or, And):
        for sub in query.subqueries:
            yield from leaves(sub, negated)
    elif type(query) is AndNot:
        yield from leaves(query.a, negated)
        yield from leaves(query.b, True)
    elif type(query) in (Term, Phrase):
        yield query, negated


def by_label(query: Query) -> dict[str, str]:
    """For each kind of field a hit can match in (title, names, text): a tsquery true when the
    document has one of the query's own (not excluded) terms or phrases in such a field."""
    grouped: dict[str, list[Query]] = {}
    for leaf, negated in leaves(query):
        label = FIELD_LABELS.get(leaf.fieldname)
        if label is not None and not negated:
            grouped.setdefault(label, []).append(leaf)
    return {label: _alternatives(found) for label, found in grouped.items()}
