"""``train claims --from``: a claims model that starts from a trained one and learns what a
person decided.

The report's label editor exports a person's decisions (``labels.jsonl``); training from the
shipped model on them keeps what that model knows, changes only what the person corrected,
adds the labels they made up, and remembers the posts they decided. This module reads the
file (:mod:`~socialscan.claims.decisions`), has the heads changed and fitted
(:mod:`~socialscan.claims.from_heads`), remembers the decided posts
(:mod:`~socialscan.claims.memory`), scores the base model and the new one on the file's test
posts (:mod:`~socialscan.claims.from_report`) and writes the new model.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import MalformedInput
from ..export.atomic import atomic_directory
from .corpus import Labelled, read_corpus
from .decisions import judged_one, person_decisions
from .from_heads import BACKGROUND_WEIGHT, Heads, draw_background, fit_new, refit_corrected
from .from_report import FromReport, before_after
from .memory import post_key
from .model import ClaimModel


def train_from(
    labelled: str | os.PathLike[str],
    output: str | os.PathLike[str],
    base: str | os.PathLike[str] = "default",
    *,
    data: str | os.PathLike[str] | None = None,
    person_weight: float = 4.0,
    background_weight: float = BACKGROUND_WEIGHT,
    background: Sequence[tuple[str, str]] | None = None,
    progress=None,
) -> FromReport:
    """A claims model that starts from a trained one (the shipped model by default) and learns
    a person's corrections and new labels, scored before and after on the file's test posts.

    What "starts from" means, so that it works on any machine: the shipped model was trained
    on 14,858 posts of which most are pointers into a data set that is not distributed, so it
    cannot be refitted where socialscan is installed. Instead, the new model reads the same
    inputs as the base (its n-gram vocabulary, the static vectors, the post features) and:

    - a label no line corrects keeps the base model's head, calibration and threshold
      unchanged (the same scores, bit for bit);
    - a label a person corrected (turned off where the model gave it, or gave where the model
      did not) gets a change to its head fitted on the judged posts of the file (weighted by
      ``person_weight``) and the taxonomy's example and background sentences the base model
      was also trained on, pulled toward no change (:func:`~socialscan.claims.fit.refit_toward`),
      so it moves on posts like the corrected ones and stays put elsewhere; its calibration and
      threshold stay the base model's;
    - a label the base model does not know gets a new head over those inputs, fitted on the
      file's posts (every post a person decided without it is a negative), the taxonomy's
      background sentences and the shipped sample of ordinary posts
      (:mod:`~socialscan.claims.background`, weak negatives weighing ``background_weight`` of a
      person's post each); its C, calibration and threshold are chosen on 5-fold out-of-fold
      scores of the person's posts and the ordinary ones together, so that the threshold pays
      for every ordinary post it fires on, as it would in a whole dump;
    - a corrected default label's change is also held to the base model's own scores on the
      ordinary posts (soft targets, the same weight), so a correction moves posts like the
      corrected one rather than every post sharing a word with it;
    - every post a person decided is remembered (a hash of its text, never the text): it and
      its copies get the person's labels, whatever the heads say.

    The base model's first stage (its gate) is dropped: it was set for the shipped heads only,
    so every post goes through the whole model (slower: ``bench/results_claims_from_default.md``
    measures it). Lines decided by the model are not learned from.

    Args:
        labelled: The report's export (``labels.jsonl``) or any labelled JSONL.
        output: Directory for the new model (``--model DIR`` on ``tag``, ``scan``, ``report``).
        base: ``default`` (the shipped model) or a model directory.
        data: Where the file's pointers point (see :mod:`socialscan.claims.corpus`).
        person_weight: How much a person's decision on a post counts against one of the
            taxonomy's sentences.
        background_weight: How much one shipped ordinary post counts against a person's
            decision (0: none are used). Posts that are copies of any the file holds, test
            lines too, are never among them.
        background: (text, source pointer) pairs to draw the ordinary posts from (default:
            the shipped sample); ``BACKGROUND_PER_POST`` of them per post a person decided,
            drawn with a fixed seed.
        progress: Optional callable taking a message.

    Returns:
        The :class:`FromReport`; the model is in ``output``.

    Examples:
        >>> r = train_from("labels.jsonl", "my-model/")  # doctest: +SKIP
        >>> print(r.text())  # doctest: +SKIP
    """
    from .tagging import load_model
    from .taxonomy import load_taxonomy

    say = progress or (lambda _m: None)
    corpus = read_corpus(labelled, data)
    m0 = load_model(base)
    if not isinstance(m0, ClaimModel) or m0.members or m0.w_sparse is None:
        raise MalformedInput(
            f"{base}: only a linear n-gram model can be started from (the default model or a "
            "directory written by train claims --from)"
        )
    got = person_decisions(corpus, m0.labels, labelled)
    tr, new, labels = got.train, got.new, got.labels
    tax = load_taxonomy()
    bg = draw_background(got.person.texts, len(tr.texts), background_weight, background)
    m = copy.copy(m0)
    m.labels = labels
    m.info = dict(m0.info)
    m.memory = dict(m0.memory)
    heads = Heads.of(m0)
    kept, refit, judged_counts = refit_corrected(m0, heads, tr, tax, bg, person_weight, say)
    warnings: list[str] = []
    bg_rate: dict[str, float] = {}
    if new:
        say(f"new labels {', '.join(new)}: fitting their heads")
        judged_new, warnings, bg_rate = fit_new(m0, heads, new, tr, tax, bg, say)
        judged_counts.update(judged_new)
        m.info.setdefault("descriptions", {})
        for lab in new:
            m.info["descriptions"][lab] = f"learned from labelled posts ({labelled_name(labelled)})"
    heads.into(m)
    # the base model's gate was set for its own heads only: every post goes through them all
    m.gate, m.gate_thresholds = None, None
    remember(m, tr, m0.labels)
    m._sparse = m0._sparse  # the same n-gram vocabulary and encoder: read once, not again
    m._enc = m0._enc
    m.directory = None

    # a test line that is a copy of a training line would be scored from memory, not by the
    # head: the scores are on posts never trained on
    before, after, left = before_after(m0, m, got.test, tr.texts, say)
    warnings += left
    m.info.update(
        started_from=str(base),
        kept=kept,
        refit=refit,
        new=new,
        corrections_file=labelled_name(labelled),
        background={
            "posts": len(bg.texts),
            "weight": background_weight,
            "fires_out_of_fold": {k: round(v, 5) for k, v in bg_rate.items()},
        },
    )
    with atomic_directory(output) as tmp:
        m.save(tmp)  # its n-grams written beside it: the model stands alone
    return FromReport(
        labels,
        str(base),
        kept,
        refit,
        new,
        judged_counts,
        before,
        after,
        len(m.memory) - len(m0.memory),
        got.skipped,
        warnings,
        os.fspath(output),
        len(bg.texts) if new else 0,
        bg_rate,
    )


def remember(m: ClaimModel, train: Labelled, known: Sequence[str]) -> None:
    """Add to ``m.memory`` each training post's decisions, for every label judged on it
    (``known``: the labels of the base model; any other label of ``m`` is new)."""
    for i, text in enumerate(train.texts):
        mem = dict(m.memory.get(post_key(text), {}))
        for lab in m.labels:
            seen, holds = judged_one(train, i, lab, lab in known)
            if seen:
                mem[lab] = holds
        if mem:
            m.memory[post_key(text)] = mem


def labelled_name(path: str | os.PathLike[str]) -> str:
    """The labels file's name, as the model's info records where its new labels came from."""
    return Path(path).name
