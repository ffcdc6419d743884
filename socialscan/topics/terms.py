"""A topic's terms as shown: ranked by c-TF-IDF, none repeating a higher-ranked one.

c-TF-IDF over words and two-word phrases scores a phrase and its own words alike ("fine
tuning, fine, tuning"), and a name written two ways twice ("chatgpt", "chat gpt"). BERTopic's
representation models do not fix it (``bench/``): maximal marginal relevance removes repeats
only at a diversity that costs coherence, and
KeyBERTInspired ranks near-copies of one phrase together. :class:`DistinctTerms` is a BERTopic
representation model that keeps c-TF-IDF's ranking and skips each term that repeats one
ranked above it (:func:`repeats`), so the label, the terminal and the report show the same
terms in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: A word that is another plus at most this many letters is the same word ("llm", "llms").
_ENDING = 2


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= _ENDING and len(short) > 2


def repeats(a: str, b: str) -> bool:
    """Whether two terms say the same thing twice.

    They do when they share a word, when one word is another with a short ending (a plural,
    "-ed"), or when they are one name with and without a space.

    Examples:
        >>> repeats("fine tuning", "tuning"), repeats("llm", "llms"), repeats("chat gpt", "chatgpt")
        (True, True, True)
        >>> repeats("los angeles", "angeles california"), repeats("ai", "openai"), repeats("art", "artificial")
        (True, False, False)
    """
    wa, wb = a.split(), b.split()
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    return any(x == y or _same_word(x, y) for x in wa for y in wb)


def distinct(ranked: Sequence[str], n: int) -> list[str]:
    """The first ``n`` of ``ranked`` that repeat none ranked above them (:func:`repeats`).

    Examples:
        >>> distinct(["fine tuning", "fine", "tuning", "llm", "llms", "tasks"], 3)
        ['fine tuning', 'llm', 'tasks']
    """
    kept: list[str] = []
    for term in ranked:
        if term and not any(repeats(term, k) for k in kept):
            kept.append(term)
            if len(kept) == n:
                break
    return kept


def _break_ties(scored: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
    """Equal scores (small topics: every term once) ordered by where the topic first says them,
    a phrase before its own first word (it says more, and scores the same only when that word
    is never used without it)."""
    lowered = text.lower()

    def first(term: str) -> int:
        i = lowered.find(term)
        return i if i >= 0 else len(lowered)

    return sorted(scored, key=lambda ws: (-round(ws[1], 12), first(ws[0]), -len(ws[0])))


def distinct_terms_model(top_n_words: int = 10):
    """A BERTopic representation model: :func:`distinct` over c-TF-IDF's candidates (30).

    Terms keep their c-TF-IDF scores; ties are broken by first use in the topic's posts, not by
    the vocabulary's alphabetical order.
    """
    from bertopic.representation import BaseRepresentation

    class DistinctTerms(BaseRepresentation):
        def __init__(self, top_n_words: int):
            self.top_n_words = top_n_words

        def extract_topics(
            self, topic_model, documents, c_tf_idf, topics: Mapping[int, list[tuple[str, float]]]
        ) -> dict[int, list[tuple[str, float]]]:
            texts = documents.groupby("Topic")["Document"].agg(" ".join).to_dict()
            out = {}
            for topic, scored in topics.items():
                scored = [(w, s) for w, s in scored if w]
                if len({round(s, 12) for _, s in scored}) < len(scored):
                    scored = _break_ties(scored, texts.get(topic, ""))
                keep = set(distinct([w for w, _ in scored], self.top_n_words))
                out[topic] = [(w, s) for w, s in scored if w in keep]
            return out

    return DistinctTerms(top_n_words)
