"""``run_dask``: parse, tag and assign topics over partitions on a Dask cluster.

The client plans partitions (:mod:`.partitions`), workers parse them and keep the records in
memory, the client links threads across cuts from each partition's ends, fits topics on a sample
(when asked), and workers then tag, assign topics and write one Parquet part each into a
temporary sibling of the output directory, which replaces the output when every part is written.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deprecation import renamed_keywords
from ..errors import ClusterUnavailable, InvalidOption, MissingDependency
from ..readers.stats import ParseStats
from ..topics.sample import FIT_SAMPLE

#: Posts the topic model is fitted on by default (the rest are assigned with ``transform``):
#: the sample one process clusters a large corpus on, so that both give the same topics.
DEFAULT_SAMPLE = FIT_SAMPLE
#: The default local cluster: two single-threaded worker processes on loopback.
LOCAL_CLUSTER = {
    "n_workers": 2,
    "threads_per_worker": 1,
    "processes": True,
    "dashboard_address": None,
    "host": "127.0.0.1",
}

Inputs = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


@dataclass
class DaskResult:
    """What :func:`run_dask` wrote.

    Attributes:
        output: The dataset directory.
        rows: Records written.
        partitions: Number of partitions (= Parquet parts).
        stats: Parse counts summed over partitions.
        labels: Claim labels (``score_<label>`` columns), empty without claims.
        topics: The :class:`~socialscan.topics.TopicResult` fitted on the sample, or ``None``.
        sample_size: Posts the topics were fitted on (0 without topics).
    """

    output: Path
    rows: int
    partitions: int
    stats: ParseStats
    labels: list[str] = field(default_factory=list)
    topics: Any = None
    sample_size: int = 0

    def summary(self) -> str:
        """One line for stderr."""
        s = (
            f"{self.stats.summary()}; {self.rows:,} rows in {self.partitions:,} "
            f"partition{'' if self.partitions == 1 else 's'}"
        )
        if self.topics is not None:
            n = int((self.topics.table["topic"] >= 0).sum())
            s += f", {n} topics fitted on {self.sample_size} posts"
        return f"{s} -> {self.output}"


def _worker_version() -> str:
    import socialscan

    return socialscan.__version__


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, client: Any = None, **cluster: Any) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, one connected to ``scheduler``, or a local cluster.

    The local cluster is :data:`LOCAL_CLUSTER` updated with ``cluster`` and is closed on exit.

    Raises:
        MissingDependency: dask is not installed.
        ClusterUnavailable: the scheduler cannot be reached, or a worker runs another version
            of socialscan (or none).
    """
    if client is not None:
        _check_workers(client)
        yield client
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingDependency("dask", "--engine dask", extra="dask") from None
    if scheduler:
        try:
            c = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise ClusterUnavailable(
                f"cannot reach the Dask scheduler at {scheduler}: {e}"
            ) from None
        with c:
            _check_workers(c)
            yield c
        return
    options = {**LOCAL_CLUSTER, "silence_logs": logging.ERROR, **cluster}
    with LocalCluster(**options) as lc, Client(lc) as c:
        yield c


def _check_workers(client: Any) -> None:
    import socialscan

    try:
        versions = client.run(_worker_version)
    except Exception as e:  # a worker that cannot import socialscan fails to unpickle the call
        raise ClusterUnavailable(
            f"workers cannot run socialscan: {type(e).__name__}: {e}"
        ) from None
    if not versions:
        raise ClusterUnavailable("the Dask cluster has no workers")
    wrong = {a: v for a, v in versions.items() if v != socialscan.__version__}
    if wrong:
        addr, v = next(iter(wrong.items()))
        raise ClusterUnavailable(
            f"worker {addr} runs socialscan {v}, this client {socialscan.__version__}: "
            "install the same version on every worker"
        )


def _ends(parsed):
    return parsed.ends()


def _repeat_keys(parsed):
    from .repeats import repeat_keys

    return repeat_keys(parsed.posts)


def _candidates(parsed, links, marks, n: int):
    """The partition's sample candidates (with its threads and repeats as one pass gives them)
    and size."""
    from .partitions import assign_partition_threads
    from .repeats import apply_marks
    from .stages import sample_candidates

    posts = apply_marks(assign_partition_threads(parsed, links)[0], marks)
    return sample_candidates(posts, n, parsed.part.index), len(posts)


def _mark_repeats(c, parsed, dedupe: bool) -> list:
    """Futures of each partition's :class:`~.repeats.RepeatMarks`, decided on the client in
    input order from ids and 8-byte text keys only. One partition's keys are held at a time;
    its marks go to the workers at once (the client keeps what one process keeps: the tweet
    ids seen and each distinct text's first id)."""
    from .repeats import RepeatWalk

    walk = RepeatWalk(dedupe)
    out = []
    for future in c.map(_repeat_keys, parsed, pure=False):
        keys = future.result()
        future.release()
        [marks] = c.scatter([walk.marks(keys)], hash=False)
        del keys
        out.append(marks)
    return out


def _sized(table, sizes):
    """The fitted topic table with each topic's records counted over every partition (the
    fit counted the sample's); a topic no record ended in (a partly drawn thread's) is
    dropped, as one process's table lists only the topics its records have."""
    from collections import Counter

    total: Counter = Counter()
    for part in sizes:
        total.update({int(t): int(n) for t, n in part.items()})
    out = table[[int(t) in total for t in table["topic"]]].copy()
    out["size"] = [total[int(t)] for t in out["topic"]]
    return out.reset_index(drop=True).astype({"topic": "int64", "size": "int64"})


@renamed_keywords(claims_embedder="claim_embedder", topics_embedder="topic_embedder")
def run_dask(
    inputs: Inputs,
    output: str | os.PathLike[str],
    *,
    format: str = "auto",
    claims: bool = False,
    topics: bool = False,
    partitions: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    strict: bool = False,
    taxonomy: str | os.PathLike[str] | None = None,
    claim_embedder: str = "static",
    topic_embedder: str = "auto",
    sample: int = DEFAULT_SAMPLE,
    min_topic_size: int | None = None,
    nr_topics: int | str | None = None,
    seed: int = 42,
    topics_out: str | os.PathLike[str] | None = None,
    segmenter: str = "auto",
    dedupe: bool = True,
) -> DaskResult:
    """Parse ``inputs`` on a Dask cluster (optionally tag claims, assign topics) into a dataset.

    The rows equal the single-process path on the same input: ``to_frame(parse(inputs))``,
    then ``tag_frame`` for claims, then :func:`~socialscan.distributed.stages.assign_topics` with
    the model fitted on the sample. See :mod:`socialscan.distributed.dataset` for the layout.

    Args:
        inputs: Paths every worker can open (not stdin).
        output: The dataset directory, written atomically (replaces an earlier dataset).
        format: Input format, as in :func:`socialscan.parse`.
        claims: Add ``claims``, ``labels`` and ``score_<label>`` (:func:`socialscan.tag_frame`).
        topics: Fit topics on a sample of ``sample`` posts (chosen by a hash of each post's id
            and place, so the same whatever the partitioning) on the client, then add ``topic``
            and ``topic_label`` to every partition with ``TopicResult.transform``.
        partitions: About how many partitions (see :func:`.partitions.plan_partitions`);
            default: a file each, ``lines``/``jsonl`` files cut into blocks of at most 64 MB and
            small enough to give every worker thread one (blocks of 1 MB at least).
        scheduler: Address of a running scheduler (``tcp://host:8786``); ``None``: a local
            cluster of 2 worker processes on 127.0.0.1.
        client: An existing ``distributed.Client`` (overrides ``scheduler``).
        strict: Fail on malformed structured records.
        taxonomy: A claims taxonomy file (shipped to workers as bytes).
        claim_embedder: The zero-shot claims scorer's embedder (``static`` or ``minilm``).
        topic_embedder: Embeddings for topics, as ``embedder`` of :func:`socialscan.fit_topics`
            (``auto``: chosen by the size of the whole corpus, not the sample's).
        sample: Posts to fit topics on.
        min_topic_size, nr_topics, seed: As in :func:`socialscan.fit_topics`.
        topics_out: Also write the topic table here as JSON.
        segmenter: The boundary model for raw dumps, as in :func:`socialscan.iter_parse`
            (each worker decides ``auto`` by its own prepared models).
        dedupe: Drop records whose tweet id came before, as :func:`socialscan.iter_parse`
            (``False``: keep them). Either way ``duplicate_of`` is filled across partitions
            as one pass fills it (see :mod:`.repeats`).

    Returns:
        A :class:`DaskResult`.

    Raises:
        InvalidOption: stdin, ``partitions`` or ``sample`` below 1.
        ClusterUnavailable: the scheduler cannot be reached or workers lack socialscan.
        SocialscanError: whatever the single-process path raises on the same input.

    Examples:
        >>> r = run_dask(["a.jsonl", "b.jsonl"], "posts.d", claims=True)  # doctest: +SKIP
        >>> socialscan.distributed.read_dataset("posts.d")  # doctest: +SKIP
    """
    from .dataset import MARKER, atomic_directory
    from .partitions import link_partitions, merge_stats, parse_partition, plan_partitions
    from .stages import (
        FileBundle,
        StageSpec,
        choose_sample,
        fitted_by_partition,
        process_partition,
    )

    if topics and sample < 1:
        raise InvalidOption(f"sample must be at least 1, not {sample}")
    plan_partitions(inputs, format, partitions=1)  # bad inputs fail before a cluster starts
    labels: tuple[str, ...] | None = None
    tax_bundle = None
    if claims:
        from ..claims import load_taxonomy

        labels = tuple(load_taxonomy(taxonomy).labels)
        tax_bundle = FileBundle.of(taxonomy) if taxonomy is not None else None

    with atomic_directory(output) as tmp, dask_client(scheduler, client) as c:
        out_dir = str(tmp.resolve())
        threads = sum(c.nthreads().values())
        planned = ParseStats()
        plan = plan_partitions(inputs, format, partitions, min_partitions=threads, stats=planned)
        parsed = c.map(parse_partition, plan, strict=strict, segmenter=segmenter, pure=False)
        links = link_partitions(c.gather(c.map(_ends, parsed, pure=False)))
        marks = _mark_repeats(c, parsed, dedupe)
        result = None
        sample_size = 0
        topic_bundle = None
        fitted: dict[int, dict[int, int]] = {}
        if topics:
            from ..topics import fit_topics

            offered = c.gather(c.map(_candidates, parsed, links, marks, n=sample, pure=False))
            frame, places = choose_sample([o[0] for o in offered], sample)
            sample_size = len(frame)
            # fitted as one process fits the whole: in input order, threads joined, the
            # embedder and the number of topics chosen for every record, not the sample's size
            result = fit_topics(
                frame,
                embedder=topic_embedder,
                min_topic_size=min_topic_size,
                nr_topics=nr_topics,
                seed=seed,
                corpus_size=sum(o[1] for o in offered),
            )
            fitted = fitted_by_partition(places, result.topics)
            topic_bundle = FileBundle.of(result.save(tmp / "_topics"))
        spec = StageSpec(claims, tax_bundle, claim_embedder, topic_bundle, labels)
        [spec_f] = c.scatter([spec], broadcast=True, hash=False)
        done = c.gather(
            c.map(
                process_partition,
                parsed,
                links,
                marks,
                [fitted.get(p.index) for p in plan] if topics else [None] * len(plan),
                spec=spec_f,
                out_dir=out_dir,
                pure=False,
            )
        )
        del parsed
        stats = merge_stats([planned, *(d["stats"] for d in done)])
        rows = sum(d["rows"] for d in done)
        if result is not None:  # the table counts every record, as one process's does
            result.table = _sized(result.table, [d["topic_sizes"] for d in done])
            result.save(tmp / "_topics")
        import socialscan

        info = {
            "writer": f"socialscan {socialscan.__version__}",
            "inputs": [str(p) for p in dict.fromkeys(p.source for p in plan)],
            "format": format,
            "stages": ["parse"] + (["claims"] if claims else []) + (["topics"] if topics else []),
            "partitions": len(plan),
            "rows": rows,
            "sample_size": sample_size,
        }
        (tmp / MARKER).write_text(json.dumps(info, indent=2), encoding="utf-8")
    if topics_out and result is not None:
        import orjson

        from ..export import atomic_output

        with atomic_output(topics_out, "wb") as fh:
            fh.write(orjson.dumps(result.records(), option=orjson.OPT_INDENT_2))
    return DaskResult(Path(output), rows, len(plan), stats, list(labels or []), result, sample_size)


def parse_dask(inputs: Inputs, output: str | os.PathLike[str], **options: Any) -> DaskResult:
    """``socialscan parse --engine dask``: records only. Options as in :func:`run_dask`.

    Examples:
        >>> parse_dask(["a.jsonl", "big.txt"], "posts.d", format="auto", partitions=8)  # doctest: +SKIP
    """
    return run_dask(inputs, output, **options)


def tag_dask(inputs: Inputs, output: str | os.PathLike[str], **options: Any) -> DaskResult:
    """``socialscan tag --engine dask``: records plus claims. Options as in :func:`run_dask`.

    Examples:
        >>> tag_dask("big.txt", "tagged.d", format="lines", partitions=8)  # doctest: +SKIP
    """
    return run_dask(inputs, output, claims=True, **options)


def topics_dask(inputs: Inputs, output: str | os.PathLike[str], **options: Any) -> DaskResult:
    """``socialscan topics --engine dask``: records plus topics. Options as in :func:`run_dask`.

    Examples:
        >>> topics_dask("big.txt", "topics.d", format="lines", sample=20_000)  # doctest: +SKIP
    """
    return run_dask(inputs, output, topics=True, **options)
