"""What the assistant says when it does not answer from the records, in Chinese and English (the
portal's catalogue, portal.catalogue: English msgids, the Chinese in portal/web/translations)."""

from __future__ import annotations

from urllib.parse import quote

from portal.catalogue import words

# The refusals that offer an example question after them.
WITH_EXAMPLES = ("greeting", "off_topic", "injection")


def _examples(lang: str) -> str:
    return words(lang).gettext(
        'For example: "Which enterprises were held responsible for the Longjiang cadmium '
        'spill?" or "How many inspections in Guangxi found violations in 2023?"'
    )


def text(reason: str, lang: str) -> str:
    """The sentence of a refusal as written, its {names}, {kind}, {conditions} and {link}
    unfilled (portal.assistant.refusals completes unknown_name and cannot_filter)."""
    say = words(lang)
    return {
        "greeting": say.gettext(
            "Hello! I answer from the records Clearwater publishes: pollution incidents, "
            "inspections, enterprises and disclosures of the recycled-metal industry, and the "
            "departments behind them. Every statement cites its record."
        ),
        "thanks": say.gettext("You're welcome. Ask me anything else about the records."),
        "off_topic": say.gettext(
            "That is outside what Clearwater's records cover. I can only answer questions "
            "about pollution incidents, inspections, enterprises and disclosures of the "
            "recycled-metal industry."
        ),
        "injection": say.gettext(
            "I answer only from Clearwater's records, and that rule does not change. Ask me "
            "about the records instead."
        ),
        "no_evidence": say.gettext("I found nothing on that in the records."),
        "unknown_name": say.gettext(
            "The records hold nothing named {names}: no enterprise, department, place or river "
            "of the portal has that name. Check how it is written, or look it up in the "
            "listings."
        ),
        "cannot_filter": say.gettext(
            "I can't give that number: the listings cannot select {kind} by {conditions}, and "
            "a total without it would not be the number asked for. The listing with the other "
            "conditions: {link}"
        ),
    }[reason]


def sentences(first: str, second: str, lang: str) -> str:
    """Two sentences one after the other (a space between them in English, none in Chinese)."""
    return words(lang).pgettext("two sentences", "%(first)s %(second)s", first=first, second=second)


def separator(lang: str) -> str:
    """Between the items of a list: "; ", "；"."""
    return words(lang).pgettext("list separator", "; ")


def only_in(record_lang: str, asked: str) -> str:
    """The note, in the language asked, that a record quoted exists only in `record_lang`."""
    say = words(asked)
    if record_lang == "zh":
        return say.gettext("(This record is only in Chinese.)")
    return say.gettext("(This record is only in English.)")


def kind_noun(kind: str, lang: str) -> str:
    """A kind of record as a sentence names it: "inspections", 检查."""
    say = words(lang)
    return {
        "inspections": say.pgettext("kind of record", "inspections"),
        "incidents": say.pgettext("kind of record", "incidents"),
        "enterprises": say.pgettext("kind of record", "enterprises"),
        "disclosures": say.pgettext("kind of record", "disclosures"),
        "departments": say.pgettext("kind of record", "departments"),
    }[kind]


def counted(kind: str, num: int, lang: str) -> str:
    """A number of records of a kind: "3 inspections", 3 次检查."""
    say = words(lang)
    return {
        "inspections": say.ngettext("%(num)d inspection", "%(num)d inspections", num),
        "incidents": say.ngettext("%(num)d incident", "%(num)d incidents", num),
        "enterprises": say.ngettext("%(num)d enterprise", "%(num)d enterprises", num),
        "disclosures": say.ngettext("%(num)d disclosure", "%(num)d disclosures", num),
        "departments": say.ngettext("%(num)d department", "%(num)d departments", num),
    }[kind]


def refusal(reason: str, lang: str, question: str = "") -> str:
    """The sentence for a refusal, with a way forward."""
    said = text(reason, lang)
    if reason == "no_evidence" and question:
        link = f"/search?q={quote(question[:200])}&lang={lang}"
        said += " " + words(lang).gettext("You could try the search: %(link)s", link=link)
    if reason in WITH_EXAMPLES:
        said = sentences(said, _examples(lang), lang)
    return said


def count_sentence(kind: str, total: int, described: list[str], lang: str) -> str:
    """ "There are 3 inspections ..." for a count, with the filters in words."""
    say = words(lang)
    where = separator(lang).join(described) if described else say.gettext("no filter")
    # English groups the thousands (1,234); the Chinese sentence writes the number plainly.
    number = {"count": f"{total:,}" if lang == "en" else str(total), "where": where}
    return {
        "inspections": say.ngettext(
            "There is %(count)s inspection in the records matching %(where)s.",
            "There are %(count)s inspections in the records matching %(where)s.",
            total,
            **number,
        ),
        "incidents": say.ngettext(
            "There is %(count)s incident in the records matching %(where)s.",
            "There are %(count)s incidents in the records matching %(where)s.",
            total,
            **number,
        ),
        "enterprises": say.ngettext(
            "There is %(count)s enterprise in the records matching %(where)s.",
            "There are %(count)s enterprises in the records matching %(where)s.",
            total,
            **number,
        ),
        "disclosures": say.ngettext(
            "There is %(count)s disclosure in the records matching %(where)s.",
            "There are %(count)s disclosures in the records matching %(where)s.",
            total,
            **number,
        ),
        "departments": say.ngettext(
            "There is %(count)s department in the records matching %(where)s.",
            "There are %(count)s departments in the records matching %(where)s.",
            total,
            **number,
        ),
    }[kind]


def listing_sentence(url: str, lang: str) -> str:
    """Where to see the records counted."""
    return words(lang).gettext("The listing that reproduces this count: %(url)s", url=url)


def examples_sentence(listed: str, lang: str) -> str:
    """The newest records of a count, after the sentences that count them."""
    return words(lang).gettext("The newest of them: %(listed)s", listed=listed)
