"""The report's review queue: the posts whose label would teach the claims model most.

Active learning, computed once when the report is written, so the page only shows it:

1. **uncertain**: posts whose trained-model score is nearest 0.5 for some label (the scores
   are calibrated probabilities, so 0.5 is even odds: the model knows least there);
2. **disagree**: posts where the zero-shot scorer (cues and similarity to the taxonomy's
   examples, :mod:`socialscan.claims.zeroshot`) and the trained model decide a label
   differently, the widest gap first;
3. **random**: a uniform sample of the rest, a check on the posts the model is sure of (without
   it a person only ever sees the model's hard cases and never its confident mistakes).

Each queued post says why it is there. Bare link lines and repeated texts (retweets, copies:
the same :func:`~socialscan.claims.corpus.text_key`) are queued at most once.

Cost on a large input stays bounded: the model scores at most :data:`SCORED_MAX` posts (a
seeded random sample of the candidates beyond that, the same every run), the zero-shot scorer
(spaCy, the expensive one) at most :data:`ZERO_SHOT_MAX` of them, chosen where a disagreement
is possible at all: the model says yes, or the claims gate says the zero-shot scorer may.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The queue's parts and their shares of its size, in queue order. A part short of posts
#: leaves its room to the parts after it.
SHARES = (("uncertain", 0.5), ("disagree", 0.3), ("random", 0.2))
#: At most this many candidate posts are scored by the model (a seeded sample beyond).
SCORED_MAX = 20_000
#: At most this many posts are scored zero-shot to look for disagreements.
ZERO_SHOT_MAX = 2_000
#: The default queue size (``socialscan report --review N``).
DEFAULT_SIZE = 200

#: What each part is, as the page says it.
ABOUT = {
    "uncertain": "with scores nearest 0.5 (the model is least sure)",
    "disagree": "where the zero-shot scorer and the trained model disagree",
    "random": "picked at random (a check on the posts the model is sure of)",
}


@dataclass
class ReviewQueue:
    """The queue: frame rows in the order to review them, and why each is there.

    Attributes:
        rows: Row positions in the frame, in queue order.
        parts: Per row, the part it came from (``uncertain``, ``disagree``, ``random``).
        why: Per row, one sentence saying why it is queued.
        scores: Per row, the scores the queue read (label -> score): the model's where it
            knows the label, else the zero-shot scorer's.
        counts: Posts per part.
        candidates: Posts that could be queued (not bare links, one per repeated text).
        scored: How many of them the model scored.
        zero_shot: How many of them the zero-shot scorer scored.
        notes: Sentences for the page: samples taken, parts that could not be filled.
    """

    rows: list[int] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    scores: list[dict[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    candidates: int = 0
    scored: int = 0
    zero_shot: int = 0
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def payload(self) -> dict[str, Any]:
        """The queue as the page reads it (compact, JSON-ready)."""
        names = [name for name, _ in SHARES]
        return {
            "rows": self.rows,
            "part": [names.index(p) for p in self.parts],
            "why": self.why,
            "parts": [
                {"name": name, "about": ABOUT[name], "n": self.counts.get(name, 0)}
                for name in names
            ],
            "candidates": self.candidates,
            "notes": self.notes,
        }


def candidate_rows(df) -> list[int]:
    """Rows worth a label: not a bare link line, some text, the first of each repeated text.

    Examples:
        >>> import pandas as pd
        >>> candidate_rows(pd.DataFrame({"text": ["Try it!", "https://t.co/x", "try it!  ", ""],
        ...                              "kind": ["post", "link", "post", "post"]}))
        [0]
    """
    from ..claims.corpus import text_key

    kinds = df["kind"].tolist() if "kind" in df.columns else ["post"] * len(df)
    seen: set[str] = set()
    rows = []
    for i, (text, kind) in enumerate(zip(df["text"].tolist(), kinds, strict=True)):
        if kind == "link" or not isinstance(text, str):
            continue
        key = text_key(text)
        if not key or key in seen:
            continue
        seen.add(key)
        rows.append(i)
    return rows


def _split(size: int) -> list[int]:
    """Each part's room in a queue of ``size`` (rounded, summing to ``size``)."""
    room = [int(round(size * share)) for _, share in SHARES[:-1]]
    return room + [max(0, size - sum(room))]


def _fmt(p: float) -> str:
    return f"{p:.2f}"


def review_queue(
    df,
    size: int = DEFAULT_SIZE,
    *,
    model: Any = "default",
    taxonomy: Any = None,
    tagger: Any = None,
    seed: int = 0,
) -> ReviewQueue:
    """The review queue of a tagged frame (see the module docstring).

    Args:
        df: Records with a ``text`` column (and ``kind``: bare link lines are never queued).
        size: Posts in the queue (0: none).
        model: The claims model the report's labels came from, as ``model`` of
            :func:`socialscan.claims.get_tagger` (``None``: zero-shot only, so no part of
            disagreements).
        taxonomy: The taxonomy the report's labels came from (default: the shipped one).
        tagger: A :class:`~socialscan.claims.tagger.ClaimTagger` to use instead of building
            one from ``model`` and ``taxonomy``.
        seed: Seed of the samples (fixed, so a report of the same input queues the same posts).

    Returns:
        A :class:`ReviewQueue`, empty when there is nothing to queue.

    Examples:
        >>> import socialscan
        >>> df = socialscan.to_frame(socialscan.parse(
        ...     "Sign up now, 20% off our course!\\nNice weather today.\\nhttps://t.co/x",
        ...     format="lines"))
        >>> q = review_queue(df, size=2)
        >>> len(q), q.candidates, sorted(q.counts)
        (2, 2, ['disagree', 'random', 'uncertain'])
    """
    queue = ReviewQueue(counts={name: 0 for name, _ in SHARES})
    if size <= 0 or not len(df) or "text" not in df.columns:
        return queue
    cand = candidate_rows(df)
    queue.candidates = len(cand)
    if not cand:
        return queue
    if tagger is None:
        from ..claims.tagging import get_tagger

        tagger = get_tagger(taxonomy, model=model)
    rng = np.random.default_rng(seed)
    if len(cand) > SCORED_MAX:
        cand = sorted(rng.choice(cand, SCORED_MAX, replace=False).tolist())
        queue.notes.append(
            f"The queue was drawn from a random sample of {SCORED_MAX:,} of "
            f"{queue.candidates:,} posts."
        )
    from ..records import analysed

    texts = [analysed(df["text"].iat[i]) for i in cand]
    labels = list(tagger.labels)
    zs = _zero_shot_labels(tagger)
    trained = tagger.model
    if trained is not None:
        names = list(trained.labels)
        p = tagger.post_probabilities(texts)  # (n, L_model), calibrated
        thresholds = np.asarray(trained.thresholds, dtype=np.float32)
    else:
        names, p, thresholds = [], np.zeros((len(texts), 0), np.float32), np.zeros(0)
    queue.scored = len(texts) if trained is not None else 0

    # the zero-shot scorer, only where a disagreement is possible: the model says yes, or the
    # gate says the scorer may (without a model: the gate's picks, then a sample, as scores)
    model_yes = (p >= thresholds).any(axis=1) if p.shape[1] else np.zeros(len(texts), bool)
    gate = tagger.gate
    maybe = gate.candidates(texts) if gate is not None else np.ones(len(texts), bool)
    pool = np.nonzero(model_yes | maybe)[0]
    if trained is None and len(pool) < min(ZERO_SHOT_MAX, len(texts)):
        rest = np.setdiff1d(np.arange(len(texts)), pool)
        extra = rng.choice(rest, min(len(rest), ZERO_SHOT_MAX - len(pool)), replace=False)
        pool = np.sort(np.concatenate([pool, extra]))
    if len(pool) > ZERO_SHOT_MAX:
        pool = np.sort(rng.choice(pool, ZERO_SHOT_MAX, replace=False))
    z = tagger.zero_shot_post_scores([texts[k] for k in pool]) if len(pool) else None
    queue.zero_shot = len(pool)

    # the scores each post is judged by: the model's where it knows the label, else zero-shot
    judged = {}  # local position -> {label: score}
    for k in range(len(texts)):
        judged[k] = {n: float(p[k, j]) for j, n in enumerate(names)}
    zrow = {int(k): r for r, k in enumerate(pool)}
    if z is not None:
        for k, r in zrow.items():
            for li, n in enumerate(labels):
                if n not in judged[k] and li in zs:
                    judged[k][n] = float(z[r, li])
    scored = [k for k in range(len(texts)) if judged[k]]
    if trained is None:
        scored = sorted(zrow)  # only the zero-shot scorer's sample has scores
        queue.notes.append(
            "Claims were tagged zero-shot (no trained model): the queue has no disagreements."
        )

    room = _split(min(size, len(scored)))
    taken: set[int] = set()

    def add(k: int, part: str, why: str) -> None:
        taken.add(k)
        queue.rows.append(cand[k])
        queue.parts.append(part)
        queue.why.append(why)
        queue.scores.append({n: round(s, 4) for n, s in judged[k].items()})
        queue.counts[part] += 1

    # 1. nearest 0.5, the label that is nearest saying why
    def nearest(k: int) -> tuple[float, str]:
        return min((abs(s - 0.5), n) for n, s in judged[k].items())

    by_doubt = sorted(scored, key=lambda k: (nearest(k)[0], k))
    for k in by_doubt[: room[0]]:
        n = nearest(k)[1]
        add(k, "uncertain", f"the model is least sure here: {n} {_fmt(judged[k][n])}")
    spare = room[0] - queue.counts["uncertain"]

    # 2. the zero-shot scorer and the model decide a label differently
    want = room[1] + spare
    if trained is not None and z is not None:
        thr = dict(zip(names, thresholds.tolist(), strict=True))
        found = []
        for k, r in zrow.items():
            if k in taken:
                continue
            best = None
            for li in zs:
                n = labels[li]
                if n not in thr:
                    continue
                pm, pz = float(p[k, names.index(n)]), float(z[r, li])
                if (pm >= thr[n]) != (pz >= tagger.threshold):
                    gap = abs(pm - pz)
                    if best is None or gap > best[0]:
                        best = (gap, n, pm, pz)
            if best is not None:
                found.append((-best[0], k, best))
        found.sort()
        for _, k, (_, n, pm, pz) in found[:want]:
            if pm >= thr[n]:
                why = f"the model says {n} ({_fmt(pm)}), the zero-shot scorer does not ({_fmt(pz)})"
            else:
                why = f"the zero-shot scorer says {n} ({_fmt(pz)}), the model does not ({_fmt(pm)})"
            add(k, "disagree", why)
    spare = want - queue.counts["disagree"]

    # 3. a uniform sample of the rest
    rest = [k for k in scored if k not in taken]
    want = min(room[2] + spare, len(rest))
    for k in sorted(rng.choice(rest, want, replace=False).tolist()) if want else []:
        add(int(k), "random", "picked at random: a check on the posts the model is sure of")
    if queue.counts["disagree"] < room[1] and trained is not None:
        queue.notes.append(
            f"Only {queue.counts['disagree']:,} posts where the zero-shot scorer and the model "
            "disagree: the rest of their share went to the random sample."
        )
    return queue


def _zero_shot_labels(tagger) -> list[int]:
    """Indexes of the tagger's labels the zero-shot scorer can score: those with examples or
    cues in the taxonomy (a label learned only from a user's posts has neither)."""
    out = []
    for li, label in enumerate(tagger.taxonomy):
        if tagger.examples[li] or getattr(label, "cues", None):
            out.append(li)
    return out
