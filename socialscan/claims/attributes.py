"""Cheap attributes of a claim: products named by a plug; actor and polarity of a privacy claim."""

from __future__ import annotations

import re

from dateutil.parser import parserinfo
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from ..text.entities import url_pattern
from ..text.patterns import CASHTAG_RE, HASHTAG_RE, MENTION_RE


def _words(text: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(text.split())


#: Words that start a capitalised run but are not part of a name ("Their latest Gen CloudSurfer").
_LEADING = _words(
    "the a an their our my your his her its this these that those it i we you they he she "
    "give check try get sign download use join meet introducing new"
)
#: Capitalised words that are almost never product names on their own.
_NOT_NAMES = _words(
    "i i'm im it this that the a an and or but so if when then now here there what why "
    "how yes no ok wow thanks thank please hi hey dear rt via just also"
)
_DATA_VERBS = _words(
    "train trains trained training use uses used share shares shared sell sells sold "
    "store stores stored retain retains retained collect collects collected log logs "
    "logged read reads review reviewed keep keeps kept scrape scrapes scraped leak leaks "
    "leaked"
)
_NEGATIONS = frozenset(["never", "not", "n't", "no", "nobody", "none", "neither", "without"])
_WARN_WORDS = frozenset(
    ["careful", "beware", "avoid", "warn", "warns", "warned", "warning", "caution", "don't", "dont"]
)
_KNOWN_ACTORS = frozenset(
    [
        "openai",
        "chatgpt",
        "google",
        "microsoft",
        "meta",
        "facebook",
        "amazon",
        "apple",
        "anthropic",
        "twitter",
        "x",
        "tiktok",
        "bing",
        "bard",
        "whatsapp",
        "instagram",
        "we",
        "they",
        "it",
        "you",
    ]
)


def _is_name_token(t) -> bool:
    text = t.text
    if t.is_space or t.like_url or t.is_punct or text[:1] in "@#$":
        return False
    if not any(c.isalpha() for c in text):
        return False
    return text[0].isupper() or any(c.isupper() for c in text[1:])


#: Words that name a kind of thing, not a product: alone they are no product's name.
_GENERIC = _words(
    "ai genai llm llms ml nlp api apis app apps bot bots chatbot chatbots tech crypto nft "
    "nfts web3 saas agi gpt gpts model models tool tools platform startup"
)
#: A lower-case word this rare in tweets (idf of its stem, see ``text.stems``) right after
#: a name is part of it ("Cloud stratus"); common words ("for", "today") are not.
_RARE_IDF = 9.0
#: A lone capitalised word that starts a sentence is a name only if rarer than this ("Amazing"
#: is just a capital letter; "Notion" is not).
_COMMON_IDF = 7.0


#: Month and weekday names and their short forms ("Aug", "Sept", "Thurs"), from dateutil's
#: parser: a date, not a name.
_CALENDAR = frozenset(
    w.lower() for names in (*parserinfo.MONTHS, *parserinfo.WEEKDAYS) for w in names
)
_LETTERS = re.compile(r"[^\W\d_]+")
_LEAD = re.compile(r"^[\W_]+")


def _entity_mask(doc: Doc) -> bytearray:
    """Per character of ``doc``'s text, 1 inside a link, ``@handle``, ``#hashtag`` or
    ``$cashtag`` (:mod:`socialscan.text.entities`' patterns): none of their words names a product
    (a link's hash, a handle, a tag's word). Kept on the doc, as every claim of a post asks."""
    mask = doc.user_data.get("socialscan.entity_mask")
    if mask is None:
        text = doc.text
        mask = bytearray(len(text))
        patterns = [MENTION_RE, HASHTAG_RE, CASHTAG_RE]
        rx = url_pattern(text)
        if rx is not None:
            patterns.append(rx)
        for pattern in patterns:
            for m in pattern.finditer(text):
                mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        doc.user_data["socialscan.entity_mask"] = mask
    return mask


def _in_entity(t) -> bool:
    mask = _entity_mask(t.doc)
    return any(mask[t.idx : t.idx + len(t.text)])


def _word(t) -> str:
    """A token's text from its first letter or digit ("🏼Get" -> "Get")."""
    return _LEAD.sub("", t.text)


def _is_product_token(t) -> bool:
    """A token that may be (part of) a product's name: a capitalised or CamelCase word of two
    letters or more, outside links, handles and tags; not a month or weekday; not a common
    word in capitals ("LINK", "FREE": shouting, not naming)."""
    if t.is_space or t.like_url or t.is_punct or t.text[:1] in "@#$":
        return False
    word = _word(t)
    if sum(c.isalpha() for c in word) < 2 or _in_entity(t):
        return False
    if not (word[0].isupper() or any(c.isupper() for c in word[1:])):
        return False
    letters = _LETTERS.search(word)
    head = letters.group(0).lower() if letters else ""
    if head in _CALENDAR:
        return False
    # an acronym is short; a long word in capitals is a word shouted
    return not (
        word.isupper()
        and (head in STOP_WORDS or _idf(head) < (_RARE_IDF if len(head) > 4 else _COMMON_IDF))
    )


def _clause_start(t) -> bool:
    """Whether a token opens a sentence or a clause: nothing before it but white space, a
    line break, punctuation, a symbol or an emoji, a tag or a handle ("#chatgpt Let's go",
    "Call | Text"). A capital letter there says nothing about a name."""
    if t.is_sent_start or t.i == 0:
        return True
    prev = t.doc[t.i - 1]
    if prev.is_space or "\n" in prev.whitespace_:
        return True
    return not prev.is_alpha or _in_entity(prev)


def _idf(word: str) -> float:
    from ..text.stems import STEM, stem_idf

    idf, default = stem_idf()
    return idf.get(word.lower()[:STEM], default)


def _extends_name(t) -> bool:
    text = t.text
    return (
        text.isalpha() and text.islower() and t.lower_ not in STOP_WORDS and _idf(text) >= _RARE_IDF
    )


def products(span: Span) -> list[str]:
    """The products and brands a plug names: capitalised or CamelCase runs, with a rare
    lower-case word that follows a name kept in it ("Cloud stratus"); generic words ("LLM",
    "GenAI", "app") and a common capitalised word that opens a sentence or clause ("Amazing",
    "Congrats", "#ai Let's go") are not names alone. Words of links, handles and tags, month
    and weekday names, single letters and common words in capitals are never part of one.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> doc = nlp("On Running deliver the best cushioning. Their latest Gen CloudSurfer is light, "
        ...           "and their Cloud stratus is comfortable.")
        >>> products(doc[:])
        ['On Running', 'Gen CloudSurfer', 'Cloud stratus']
        >>> products(nlp("Your personal GenAI assistant featuring LLM. Give it a try")[:])
        []
        >>> products(nlp("Congrats! Try @OpenAI and #ChatGPT in Feb, size M. Call | Text | "
        ...              "Notion AI. GET THE LINK https://t.co/AbCdEf9 👈🏼Get Canva")[:])
        ['Notion AI', 'Canva']
    """
    out: list[str] = []
    run: list = []

    def flush() -> None:
        while run and _word(run[0]).lower() in _LEADING:
            run.pop(0)
        words = [t for t in run if not t.is_punct]
        lone = len(words) == 1
        first = words[0] if words else None
        if (
            not words
            or all(t.lower_ in _GENERIC for t in words)
            or (lone and (_word(first).lower() in _NOT_NAMES or _word(first).lower() in STOP_WORDS))
            or (
                lone
                and _clause_start(first)
                and _word(first)[1:].islower()
                and _idf(_word(first)) < _COMMON_IDF
            )
        ):
            run.clear()
            return
        name = _LEAD.sub("", span.doc[run[0].i : run[-1].i + 1].text)
        if name not in out:
            out.append(name)
        run.clear()

    for t in span:
        if _is_product_token(t):
            run.append(t)
        elif run and _extends_name(t):
            run.append(t)
            flush()
        else:
            flush()
    flush()
    return out


def privacy(span: Span) -> dict[str, str | None]:
    """Who the privacy claim is about and whether it reassures, discloses or warns.

    ``polarity`` is ``assurance`` (a negated data verb: "never trains on", "does not share"),
    ``warning`` (advice to the reader: "don't paste confidential data") or ``disclosure``
    (data is used, shared, kept). ``actor`` is the nearest organisation or pronoun before the
    data verb, as written (lower-cased), or ``None``.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> privacy(nlp("openai never trains on anything submitted to the api.")[:])
        {'actor': 'openai', 'polarity': 'assurance'}
        >>> privacy(nlp("We share your data with partners.")[:])
        {'actor': 'we', 'polarity': 'disclosure'}
    """
    toks = [t for t in span if not t.is_space]
    verb_i = next((k for k, t in enumerate(toks) if t.lower_ in _DATA_VERBS), None)
    polarity = "disclosure"
    first = toks[0].lower_ if toks else ""
    lowers = [t.lower_ for t in toks]
    if (
        first in {"do", "don't", "dont", "never", "avoid", "be"}
        or any(w in _WARN_WORDS for w in lowers)
        or "not to" in " ".join(lowers)
    ):
        polarity = "warning"
    elif verb_i is not None and any(
        lowers[k] in _NEGATIONS for k in range(max(0, verb_i - 3), verb_i)
    ):
        polarity = "assurance"
    actor = None
    left = toks[:verb_i] if verb_i is not None else toks
    for t in reversed(left):
        low = t.lower_.lstrip("@")
        if low in _KNOWN_ACTORS or (
            _is_name_token(t) and low not in STOP_WORDS and low not in _NOT_NAMES
        ):
            actor = low
            break
    if actor is None:
        actor = next(
            (t.lower_.lstrip("@") for t in toks if t.lower_.lstrip("@") in _KNOWN_ACTORS), None
        )
    return {"actor": actor, "polarity": polarity}
