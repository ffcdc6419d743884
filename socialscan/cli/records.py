"""``parse``, ``tag`` and ``topics``: commands that write one record a post, locally or on Dask.

Each calls one Python twin (:func:`~socialscan.api.parse_to`, :func:`~socialscan.api.tag_to`,
:func:`~socialscan.api.fit_topics_to`, or :func:`~socialscan.distributed.engine.run_dask` with
``--engine dask``) and prints what it returns.
"""

from __future__ import annotations

import click

from .options import (
    CLAIM_EMBEDDERS,
    TOPIC_EMBEDDERS,
    accurate_opt,
    claim_embedder_opt,
    claim_model_arg,
    claim_model_opt,
    deprecated_alias,
    engine_opts,
    format_opt,
    input_args,
    keep_ids_opt,
    output_opt,
    quiet_opt,
    segmenter_opt,
    strict_opt,
    taxonomy_opt,
    to_opt,
    topic_embedder_opt,
    warn,
)


@click.command(name="parse")
@input_args
@format_opt
@segmenter_opt
@to_opt
@output_opt
@strict_opt
@quiet_opt
@keep_ids_opt
@engine_opts
def parse_cmd(
    inputs,
    format_,
    segmenter,
    to,
    output,
    strict,
    quiet,
    keep_duplicate_ids,
    engine,
    scheduler,
    partitions,
):
    """Split INPUTS into posts, replies, threads and links (one record a post).

    Raw dumps keep every line verbatim with its line span; structured exports (twarc JSONL,
    tweets.js, CSV) keep ids, authors, timestamps, reply and quote links. A one-line summary
    goes to stderr.
    """
    if dask_engine(engine, scheduler, partitions):
        return dask_command(
            inputs,
            output,
            to,
            quiet,
            format=format_,
            strict=strict,
            scheduler=scheduler,
            partitions=partitions,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    from ..api import parse_to
    from ..api.parsing import input_lines
    from ..progress import counting, enabled
    from ..readers.stats import ParseStats

    stats = ParseStats()
    total = input_lines(inputs) if enabled(quiet) else None  # a terminal's ETA only
    with counting("parsing", quiet, total=total) as bar:
        parse_to(
            list(inputs),
            output,
            to=to,
            format=format_,
            strict=strict,
            stats=stats,
            on_lines=bar.advance,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    warn(stats)
    if not quiet:
        click.echo(stats.summary(), err=True)


@click.command(name="tag")
@input_args
@format_opt
@segmenter_opt
@taxonomy_opt
@to_opt
@output_opt
@claim_embedder_opt
@claim_model_opt
@accurate_opt
@strict_opt
@quiet_opt
@keep_ids_opt
@engine_opts
@deprecated_alias(
    "--embedder", "--claim-embedder", "claim_embedder", type=click.Choice(CLAIM_EMBEDDERS)
)
def tag_cmd(
    inputs,
    format_,
    segmenter,
    taxonomy,
    to,
    output,
    claim_embedder,
    claim_model,
    accurate,
    strict,
    quiet,
    keep_duplicate_ids,
    engine,
    scheduler,
    partitions,
):
    """Tag what INPUTS' posts claim: parse records plus `claims` and `labels`.

    Each claim is a sentence with a label (finetuning_advice, product_plug, privacy_statement,
    self_promotion, or your model's and taxonomy's), a calibrated score, character offsets,
    evidence (the sentence's own score, cues matched, nearest example) and attributes
    (products named and whether a plug is disclosed, privacy actor and polarity).
    """
    claim_model = claim_model_arg(claim_model, accurate)
    if dask_engine(engine, scheduler, partitions, claim_model=claim_model):
        return dask_command(
            inputs,
            output,
            to,
            quiet,
            format=format_,
            strict=strict,
            scheduler=scheduler,
            partitions=partitions,
            claims=True,
            taxonomy=taxonomy,
            claim_embedder=claim_embedder,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    from ..api import tag_to
    from ..progress import progress

    with progress("tagging", quiet) as bar:
        run = tag_to(
            list(inputs),
            output,
            to=to,
            format=format_,
            taxonomy=taxonomy,
            claim_embedder=claim_embedder,
            claim_model=claim_model,
            strict=strict,
            on_records=bar.advance,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    warn(run.stats)
    if not quiet:
        click.echo(run.summary(), err=True)


@click.command(name="topics")
@input_args
@format_opt
@segmenter_opt
@topic_embedder_opt
@click.option(
    "--min-topic-size",
    type=click.IntRange(min=1),
    default=None,
    help="Smallest topic [default: by corpus size].",
)
@click.option(
    "--nr-topics",
    default=None,
    help="Number of topics, or auto (best silhouette) [default: a cap by corpus size; with a transformer embedder, the best silhouette between half the cap and the cap].",
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Random seed (same seed, same topics)."
)
@to_opt
@output_opt
@click.option(
    "--topics-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the topic table here as JSON (atomically).",
)
@strict_opt
@quiet_opt
@keep_ids_opt
@engine_opts
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=20_000,
    show_default=True,
    help="With --engine dask: posts to fit on (all are assigned).",
)
@deprecated_alias(
    "--embedder", "--topic-embedder", "topic_embedder", type=click.Choice(TOPIC_EMBEDDERS)
)
def topics_cmd(
    inputs,
    format_,
    segmenter,
    topic_embedder,
    min_topic_size,
    nr_topics,
    seed,
    to,
    output,
    topics_out,
    strict,
    quiet,
    keep_duplicate_ids,
    engine,
    scheduler,
    partitions,
    sample,
):
    """Find what INPUTS talk about: parse records plus `topic` and `topic_label`.

    Topic -1 holds outliers. The topic table (id, size, label, top terms, representative
    posts) goes to --topics-out; a one-line summary goes to stderr.
    """
    if dask_engine(engine, scheduler, partitions):
        return dask_command(
            inputs,
            output,
            to,
            quiet,
            format=format_,
            strict=strict,
            scheduler=scheduler,
            partitions=partitions,
            topics=True,
            topic_embedder=topic_embedder,
            min_topic_size=min_topic_size,
            nr_topics=nr_topics,
            seed=seed,
            sample=sample,
            topics_out=topics_out,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    from ..api import fit_topics_to
    from ..progress import progress

    with progress("parsing", quiet) as bar:
        run = fit_topics_to(
            list(inputs),
            output,
            to=to,
            format=format_,
            topics_out=topics_out,
            topic_embedder=topic_embedder,
            min_topic_size=min_topic_size,
            nr_topics=nr_topics,
            seed=seed,
            strict=strict,
            progress=bar,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    warn(run.stats)
    if run.topics is None:  # said even under --quiet: the output lacks what was asked for
        click.echo(run.note, err=True)
    elif not quiet:
        click.echo(run.summary(), err=True)


def dask_engine(
    engine: str, scheduler: str | None, partitions: int | None, claim_model: str | None = "default"
) -> bool:
    """True for --engine dask; --scheduler and --partitions need it."""
    from ..errors import InvalidOption

    if engine != "dask":
        if scheduler or partitions:
            raise InvalidOption("--scheduler and --partitions need --engine dask")
        return False
    if claim_model != "default":
        raise InvalidOption("--engine dask tags with the shipped claims model only (for now)")
    return True


def dask_command(inputs, output, to, quiet, **options) -> None:
    """--engine dask for parse, tag and topics: a Parquet dataset directory at -o."""
    from ..errors import InvalidOption

    if not output or output == "-":
        raise InvalidOption("--engine dask writes a Parquet dataset directory: add -o DIR")
    if to not in (None, "parquet"):
        raise InvalidOption(f"--engine dask writes Parquet, not {to}")
    from ..distributed.engine import run_dask

    result = run_dask(list(inputs), output, **options)
    if not quiet:
        click.echo(result.summary(), err=True)
