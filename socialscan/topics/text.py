"""Text preparation for topics: what the embedder sees and what the topic terms are made of."""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache

from ..text.body import mask
from ..text.entities import without_links
from ..text.patterns import LOOSE_HASHTAG_RE, LOOSE_MENTION_RE

_CAMEL = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: Two hashtags in a row ("#ai #chatbots"): a tag list, not a phrase (see :class:`TermAnalyzer`).
_TAG_PAIR = re.compile(r"(?<!\w)(#\w+)\s+(?=#\w)")
#: Where no bigram may span: between two posts (:data:`DOC_END`) and two hashtags in a row.
_NO_BIGRAM = "\x1f"
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w'’]+")

#: Words for topic terms: letters with one apostrophe at most (``don't``); numbers never match.
#: One letter is allowed so that "I've" is read whole; :class:`TermAnalyzer` keeps words of two
#: letters or more.
WORD_PATTERN = r"(?u)\b[^\W\d_]+(?:'[^\W\d_]+)?\b"


def split_hashtag(tag: str) -> str:
    """A camel-case hashtag body as words; a plural acronym stays one word ("LLMs", not "LL Ms").

    Examples:
        >>> split_hashtag("PregnancyForAll"), split_hashtag("AI"), split_hashtag("llm")
        ('Pregnancy For All', 'AI', 'llm')
        >>> split_hashtag("ChatGPTs"), split_hashtag("OpenLLMsRock"), split_hashtag("GPTModel")
        ('Chat GPTs', 'Open LLMs Rock', 'GPT Model')
    """
    return " ".join(_CAMEL.findall(tag)) or tag


def clean_text(text: str) -> str:
    """A post without URLs or @handles, hashtags split into words, whitespace collapsed.

    Examples:
        >>> clean_text("@ann Loving #FineTuning https://t.co/x1  now pic.twitter.com/AbC")
        'Loving Fine Tuning now'
    """
    text = without_links(text)
    text = LOOSE_MENTION_RE.sub(" ", text)
    text = LOOSE_HASHTAG_RE.sub(lambda m: split_hashtag(m.group(1)), text)
    return _SPACE.sub(" ", text).strip()


@cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the vectorizer's ``stop_words="english"``).

    Read from scikit-learn's data-only ``_stop_words.py`` without importing scikit-learn
    itself (seconds, with scipy), so that :func:`fit_topics` can start embedding
    while scikit-learn and BERTopic import on another thread. Falls back to the ordinary
    import if that file is not where it was.

    Examples:
        >>> {"the", "and", "not"} <= english_stop_words(), "tuning" in english_stop_words()
        (True, False)
    """
    if "sklearn.feature_extraction.text" not in sys.modules:
        spec = importlib.util.find_spec("sklearn")
        if spec is not None and spec.submodule_search_locations:
            path = f"{list(spec.submodule_search_locations)[0]}/feature_extraction/_stop_words.py"
            data = importlib.util.spec_from_file_location("_socialscan_stop_words", path)
            try:
                module = importlib.util.module_from_spec(data)  # type: ignore[arg-type]
                data.loader.exec_module(module)  # type: ignore[union-attr]
                return frozenset(module.ENGLISH_STOP_WORDS)
            except (AttributeError, ImportError, OSError):
                pass
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def embedding_text(text: str) -> str:
    """What the embedder sees: :func:`clean_text` without English stop words.

    A static embedder averages token vectors, so "the", "to" and "and" blur every post
    toward the same point. MiniLM gets the same text: whole sentences did not give better
    topics and cost more tokens, so more time.

    A copied post's header and counts are left out (:func:`~socialscan.text.body.mask`;
    the topic terms get the same in :func:`socialscan.topics.cluster.cluster`, before BERTopic
    folds line breaks).

    Examples:
        >>> embedding_text("I do not want to bring a child into this #DangerousPatriarchy")
        'want bring child Dangerous Patriarchy'
        >>> embedding_text("Sam Altman\\n@sama\\n·\\n2h\\nLoving it\\n12")  # a copied post
        'Loving'
    """
    stop = english_stop_words()
    words = _WORD.findall(clean_text(mask(text)))
    return " ".join(w for w in words if w.lower() not in stop)


def embed_posts(embedder, texts: list[str]):
    """``embedder.embed`` over the texts prepared by :func:`embedding_text`."""
    return embedder.embed([embedding_text(t) for t in texts])


#: Appended to every post handed to BERTopic. BERTopic joins a topic's posts with spaces before
#: counting terms, so without a mark the last word of one post and the first of the next would
#: count as a bigram ("camera yes" on the seed); :class:`TermAnalyzer` counts within posts only.
DOC_END = "\x1e"


class TermAnalyzer:
    """The words and two-word phrases a post contributes to its topic's terms.

    Words are :data:`WORD_PATTERN` matches of :func:`clean_text`, lower-cased; English stop words,
    contractions ending in "n't" or starting with a stop word ("can't", "I’ve") and one-letter
    words are left out, and "'s" is dropped ("openai's" -> "openai"). A bigram is two
    neighbouring words of one post, neither left out, so "begs the question" gives "begs" and
    "question" but no "begs question", which nobody wrote. Text is split at :data:`DOC_END`
    first: terms never span two posts; nor does a bigram join two hashtags in a row, so a tag
    list "#ChatGPT #OpenAI" gives "chat gpt" and "open ai" but no "gpt open".

    Args:
        stop_words: Words that never become terms.
        loose: Any run of non-space characters is a word, unigrams only (a tiny corpus with no
            ordinary words left).

    Examples:
        >>> TermAnalyzer(frozenset({"the"}))("Fine tuning beats the prompt" + DOC_END + "prompt wins")
        ['fine', 'tuning', 'beats', 'prompt', 'fine tuning', 'tuning beats', 'prompt', 'wins', 'prompt wins']
        >>> TermAnalyzer(frozenset({"i"}))("I’ve said OpenAI's models can't")
        ['said', 'openai', 'models', 'said openai', 'openai models']
        >>> TermAnalyzer()("#ChatGPT #OpenAI")
        ['chat', 'gpt', 'chat gpt', 'open', 'ai', 'open ai']
    """

    def __init__(self, stop_words: frozenset[str] = frozenset(), loose: bool = False):
        self.stop_words = stop_words
        self.loose = loose
        self._words = re.compile(r"\S+" if loose else WORD_PATTERN)

    def _word(self, w: str) -> str | None:
        """A contraction's word: "openai's" -> "openai"; None for "can't", "i've", "don't"."""
        base, _, clitic = w.partition("'")
        if clitic == "t" or base in self.stop_words:
            return None
        return base if clitic == "s" else w

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        stop = self.stop_words
        text = _TAG_PAIR.sub(lambda m: m.group(1) + _NO_BIGRAM, text)
        for post in re.split(f"[{DOC_END}{_NO_BIGRAM}]", text):
            words = self._words.findall(clean_text(post).lower().replace("’", "'"))
            if self.loose:
                out.extend(words)
                continue
            words = [self._word(w) if "'" in w else w for w in words]
            kept = [w is not None and len(w) > 1 and w not in stop for w in words]
            out.extend(w for w, k in zip(words, kept, strict=True) if k)
            out.extend(
                f"{words[i]} {words[i + 1]}"
                for i in range(len(words) - 1)
                if kept[i] and kept[i + 1]
            )
        return out


def make_vectorizer(n_docs: int, stop_words: str | None = "english", loose: bool = False):
    """The CountVectorizer behind the c-TF-IDF topic terms, sized for ``n_docs``.

    English stop words, URLs, handles and numbers never become terms; unigrams and bigrams
    within one post (:class:`TermAnalyzer`; posts end with :data:`DOC_END`); rare terms are
    dropped on large corpora only. ``loose=True`` accepts any token (used when a tiny corpus has
    no ordinary words left).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    big = n_docs >= 1000
    stop = english_stop_words() if stop_words == "english" and not loose else frozenset()
    return CountVectorizer(
        analyzer=TermAnalyzer(stop, loose=loose),
        min_df=2 if big else 1,
        max_features=50_000 if big else None,
    )
