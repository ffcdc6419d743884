"""``scan``: the whole pipeline in one call (parse -> claims -> topics -> report), the Python
twin of ``socialscan scan`` and ``socialscan report``.

The module is ``pipeline``, not ``scan``: a submodule named ``socialscan.scan`` would replace the
function ``socialscan.scan`` on the package as soon as it is imported.

The claims and topics stages are imported only when they run (they load models). A stage that
cannot run on this input (too few posts for topics, say) is skipped: the result records it
(:attr:`~socialscan.results.ScanResult.stages`) with a note that every output repeats, so a
scan always ends with a summary and, when asked, a report.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from .deprecation import renamed_keywords
from .errors import SocialscanError
from .readers.stats import ParseStats
from .results import ScanResult, StageResult

#: The stages a scan runs, in order (the names the progress display shows).
STAGES = ("parsing", "tagging claims", "fitting topics", "writing report")


class _Quiet:
    def stage(self, name: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


def _missing_stage(e: ImportError, package: str) -> bool:
    return bool(e.name) and (e.name == package or e.name.startswith(package + "."))


@renamed_keywords(embedder="topic_embedder", model="claim_model")
def scan(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    *,
    claims: bool = True,
    topics: bool = True,
    topic_embedder: str = "auto",
    taxonomy: str | os.PathLike[str] | None = None,
    claim_model: Any = "default",
    seed: int = 42,
    report: str | os.PathLike[str] | None = None,
    title: str | None = None,
    strict: bool = False,
    progress: Any = None,
    segmenter: str = "auto",
    dedupe: bool = True,
    review: int = 200,
) -> ScanResult:
    """Parse INPUTS, tag claims, fit topics and (optionally) write the HTML report.

    Args:
        inputs: Paths (``-`` for stdin), or a string of text holding a line break.
        format: Input format, as for :func:`socialscan.parse`.
        claims: Run the claims stage.
        topics: Run the topics stage.
        topic_embedder: Embeddings for the topics stage, as ``embedder`` of
            :func:`socialscan.fit_topics`
            (``auto``: int8 MiniLM up to 10,000 posts, the static model beyond).
        taxonomy: A claims taxonomy file (default: the shipped one).
        claim_model: The claims model, as ``model`` of :func:`socialscan.claims.get_tagger`
            (the shipped one by default; a directory from ``socialscan train claims``;
            ``None``: zero-shot).
        seed: Seed for the topics stage.
        report: Write the self-contained HTML report here.
        title: The report's title (default: the input's name).
        strict: Fail on malformed structured records instead of skipping them.
        progress: An object with ``stage(name)`` and ``advance(n)`` (see
            :func:`socialscan.progress.progress`); silent by default.
        segmenter: The boundary model for raw dumps, as for :func:`socialscan.iter_parse`.
        dedupe: Drop records whose tweet id came before, as for :func:`socialscan.iter_parse`.
        review: Posts in the report's review queue (see :func:`socialscan.render_report`).

    Returns:
        A :class:`ScanResult`.

    Examples:
        >>> r = scan("Fine tuning is for behaviour.\\n@ann agreed https://t.co/x", format="lines",
        ...          claims=False, topics=False)
        >>> r.frame["kind"].tolist(), r.notes
        (['post', 'reply'], ['Claims were skipped (claims=False).', 'Topics were skipped (topics=False).'])
    """
    from .api import is_path, iter_parse, to_frame

    bar = progress or _Quiet()
    stats = ParseStats()
    timings: dict[str, float] = {}
    notes: list[str] = []

    t = time.perf_counter()
    bar.stage("parsing")
    if isinstance(inputs, str) and not is_path(inputs):
        from .api import parse

        posts = parse(
            inputs,
            format=format,
            strict=strict,
            stats=stats,
            segmenter=segmenter,
            dedupe=dedupe,
        )
        bar.advance(len(posts))
    else:
        posts = []
        for post in iter_parse(
            inputs,
            format=format,
            stats=stats,
            strict=strict,
            segmenter=segmenter,
            dedupe=dedupe,
        ):
            posts.append(post)
            bar.advance()
    df = to_frame(posts)
    timings["parse"] = time.perf_counter() - t
    for source in stats.read_as_lines:  # how the input was read, and the parse's warnings
        notes.append(f"{source} was read as one post a line (--format dump to override).")
    notes.extend(f"{w}." for w in stats.warnings)
    from .records import ANALYSED_CHARS

    n_long = int((df["text"].str.len() > ANALYSED_CHARS).sum()) if len(df) else 0
    if n_long:
        notes.append(
            f"{n_long:,} record{'s' if n_long > 1 else ''} longer than {ANALYSED_CHARS:,} "
            f"characters: claims and topics read the first {ANALYSED_CHARS:,} of each."
        )

    stages: dict[str, StageResult] = {}

    def skip(stage: str, note: str) -> None:
        stages[stage] = StageResult(stage, ran=False, note=note)
        notes.append(note)

    labels: list[str] = []
    if not claims:
        skip("claims", "Claims were skipped (claims=False).")
    elif len(df) == 0:
        skip("claims", "Claims were not tagged: the input holds no records.")
    else:
        t = time.perf_counter()
        bar.stage("tagging claims")
        try:
            from .claims import load_taxonomy, tag_frame
        except ImportError as e:  # the stage is not (yet) part of this install
            if not _missing_stage(e, "socialscan.claims"):
                raise
            skip("claims", "Claims were not tagged: the claims stage is not installed.")
        else:
            tax = load_taxonomy(taxonomy) if taxonomy is not None else load_taxonomy()
            labels = [getattr(lab, "name", lab) for lab in tax.labels]
            df = tag_frame(df, taxonomy=tax, model=claim_model)
            labels = [c[len("score_") :] for c in df.columns if c.startswith("score_")]
            stages["claims"] = StageResult("claims", ran=True)
        timings["claims"] = time.perf_counter() - t

    topic_table = topic_result = None
    if not topics:
        skip("topics", "Topics were skipped (topics=False).")
    elif len(df) == 0:
        skip("topics", "Topics were not modelled: the input holds no records.")
    else:
        t = time.perf_counter()
        bar.stage("fitting topics")
        try:
            from .topics import fit_topics
        except ImportError as e:  # the stage is not (yet) part of this install
            if not _missing_stage(e, "socialscan.topics"):
                raise
            skip("topics", "Topics were not modelled: the topics stage is not installed.")
        else:
            try:
                topic_result = fit_topics(df, embedder=topic_embedder, seed=seed)
            except SocialscanError as e:
                skip("topics", f"Topics were not modelled: {e}")
            else:
                df = topic_result.frame(df)
                topic_table = topic_result.table
                stages["topics"] = StageResult("topics", ran=True)
        timings["topics"] = time.perf_counter() - t

    result = ScanResult(
        frame=df,
        stats=stats,
        topic_table=topic_table,
        labels=labels,
        notes=notes,
        timings=timings,
        topics=topic_result,
        stages=stages,
    )
    if report is not None:
        from .report.render import render_report

        t = time.perf_counter()
        bar.stage("writing report")
        result.report = render_report(
            result, report, title=title, review=review, claim_model=claim_model, taxonomy=taxonomy
        )
        timings["report"] = time.perf_counter() - t
    return result
