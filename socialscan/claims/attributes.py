"""Cheap attributes of a claim: products named by a plug; actor and polarity of a privacy claim."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

#: Words that start a capitalised run but are not part of a name ("Their latest Gen CloudSurfer").
_LEADING = frozenset(
    [
        "the",
        "a",
        "an",
        "their",
        "our",
        "my",
        "your",
        "his",
        "her",
        "its",
        "this",
        "these",
        "that",
        "those",
        "it",
        "i",
        "we",
        "you",
        "they",
        "he",
        "she",
        "give",
        "check",
        "try",
        "get",
        "sign",
        "download",
        "use",
        "join",
        "meet",
        "introducing",
        "new",
    ]
)
#: Capitalised words that are almost never product names on their own.
_NOT_NAMES = frozenset(
    [
        "i",
        "i'm",
        "im",
        "it",
        "this",
        "that",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "so",
        "if",
        "when",
        "then",
        "now",
        "here",
        "there",
        "what",
        "why",
        "how",
        "yes",
        "no",
        "ok",
        "wow",
        "thanks",
        "thank",
        "please",
        "hi",
        "hey",
        "dear",
        "rt",
        "via",
        "just",
        "also",
    ]
)
_DATA_VERBS = frozenset(
    [
        "train",
        "trains",
        "trained",
        "training",
        "use",
        "uses",
        "used",
        "share",
        "shares",
        "shared",
        "sell",
        "sells",
        "sold",
        "store",
        "stores",
        "stored",
        "retain",
        "retains",
        "retained",
        "collect",
        "collects",
        "collected",
        "log",
        "logs",
        "logged",
        "read",
        "reads",
        "review",
        "reviewed",
        "keep",
        "keeps",
        "kept",
        "scrape",
        "scrapes",
        "scraped",
        "leak",
        "leaks",
        "leaked",
    ]
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
_GENERIC = frozenset(
    [
        "ai",
        "genai",
        "llm",
        "llms",
        "ml",
        "nlp",
        "api",
        "apis",
        "app",
        "apps",
        "bot",
        "bots",
        "chatbot",
        "chatbots",
        "tech",
        "crypto",
        "nft",
        "nfts",
        "web3",
        "saas",
        "agi",
        "gpt",
        "gpts",
        "model",
        "models",
        "tool",
        "tools",
        "platform",
        "startup",
    ]
)
#: A lower-case word this rare in tweets (idf of its stem, see ``segment.features``) right after
#: a name is part of it ("Cloud stratus"); common words ("for", "today") are not.
_RARE_IDF = 9.0
#: A lone capitalised word that starts a sentence is a name only if rarer than this ("Amazing"
#: is just a capital letter; "Notion" is not).
_COMMON_IDF = 7.0


def _idf(word: str) -> float:
    from ..segment.features import STEM, stem_idf

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
    "GenAI", "app") and a sentence's capitalised first word ("Amazing") are not names alone.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> doc = nlp("On Running deliver the best cushioning. Their latest Gen CloudSurfer is light, "
        ...           "and their Cloud stratus is comfortable.")
        >>> products(doc[:])
        ['On Running', 'Gen CloudSurfer', 'Cloud stratus']
        >>> products(nlp("Your personal GenAI assistant featuring LLM. Give it a try")[:])
        []
    """
    out: list[str] = []
    run: list = []

    def flush() -> None:
        while run and run[0].lower_ in _LEADING:
            run.pop(0)
        words = [t for t in run if not t.is_punct]
        lone = len(words) == 1
        first = words[0] if words else None
        if (
            not words
            or all(t.lower_ in _GENERIC for t in words)
            or (lone and (first.lower_ in _NOT_NAMES or first.lower_ in STOP_WORDS))
            or (
                lone
                and first.is_sent_start
                and first.text[1:].islower()
                and _idf(first.text) < _COMMON_IDF
            )
        ):
            run.clear()
            return
        name = span.doc[run[0].i : run[-1].i + 1].text
        if name not in out:
            out.append(name)
        run.clear()

    for t in span:
        if _is_name_token(t):
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
