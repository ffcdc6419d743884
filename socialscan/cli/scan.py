"""``scan`` and ``report``: the whole pipeline, one call to :func:`socialscan.scan` each."""

from __future__ import annotations

from collections.abc import Callable

import click

from .options import (
    TOPIC_EMBEDDERS,
    claim_model_arg,
    claim_model_opt,
    deprecated_alias,
    format_opt,
    input_args,
    keep_ids_opt,
    quiet_opt,
    segmenter_opt,
    strict_opt,
    topic_embedder_opt,
    warn,
)

#: The options of the stages after the parse, shared by ``scan`` and ``report``.
STAGE_OPTIONS = [
    click.option("--no-claims", is_flag=True, help="Skip the claims stage."),
    click.option("--no-topics", is_flag=True, help="Skip the topics stage."),
    topic_embedder_opt,
    click.option(
        "--taxonomy",
        type=click.Path(dir_okay=False, exists=True),
        default=None,
        help="A claims taxonomy file.",
    ),
    claim_model_opt,
    click.option(
        "--seed", type=int, default=42, show_default=True, help="Seed for the topics stage."
    ),
    click.option("--title", default=None, help="The report's title [default: the input's name]."),
    keep_ids_opt,
    deprecated_alias(
        "--embedder", "--topic-embedder", "topic_embedder", type=click.Choice(TOPIC_EMBEDDERS)
    ),
]


#: ``--review N``: the report's review queue (see :mod:`socialscan.report.review`).
review_opt = click.option(
    "--review",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Posts in the report's review queue (the ones a label would teach the model most; "
    "0: none).",
)


def stage_opts(f: Callable) -> Callable:
    for opt in reversed(STAGE_OPTIONS):
        f = opt(f)
    return f


def run_scan(
    inputs,
    format_,
    segmenter,
    strict,
    quiet,
    no_claims,
    no_topics,
    topic_embedder,
    taxonomy,
    claim_model,
    seed,
    title,
    report,
    keep_duplicate_ids=False,
    review=200,
):
    """:func:`socialscan.scan` with the command's options, its warnings on stderr."""
    from ..export.writers import require_suffix
    from ..pipeline import scan
    from ..progress import progress

    require_suffix(report, (".html", ".htm"), "the report")  # before any work
    with progress("parsing", quiet) as bar:
        result = scan(
            list(inputs),
            format=format_,
            claims=not no_claims,
            topics=not no_topics,
            topic_embedder=topic_embedder,
            taxonomy=taxonomy,
            claim_model=claim_model_arg(claim_model),
            seed=seed,
            report=report,
            title=title,
            strict=strict,
            progress=bar,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
            review=review,
        )
    warn(result.stats)
    return result


@click.command(name="scan")
@input_args
@format_opt
@segmenter_opt
@click.option(
    "--report",
    "report",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the HTML report here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (for machines).")
@review_opt
@strict_opt
@quiet_opt
@stage_opts
def scan_cmd(inputs, format_, segmenter, report, as_json, strict, quiet, **stage_args):
    """Scan INPUTS: parse, tag claims, fit topics, and print a summary.

    The summary lists counts by kind, claims per label with the strongest evidence, topics with
    their terms, and the top domains and handles: tables on a terminal, plain text when piped,
    JSON with --json. With --report, also write the self-contained HTML report.
    """
    from ..report.terminal import show_summary

    result = run_scan(inputs, format_, segmenter, strict, quiet, report=report, **stage_args)
    if as_json:
        click.echo(result.to_json())
    else:
        show_summary(result.summary(), report=str(result.report) if result.report else None)


@click.command(name="report")
@input_args
@format_opt
@segmenter_opt
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="The .html file to write (atomically).",
)
@review_opt
@strict_opt
@quiet_opt
@stage_opts
def report_cmd(inputs, format_, segmenter, output, strict, quiet, **stage_args):
    """Write a self-contained HTML report on INPUTS (parse -> claims -> topics).

    The file opens offline by double-click: overview, claims with evidence, a map of topics,
    links and mentions, and a searchable post explorer with line spans, where posts are
    labelled by keyboard (a review queue first) and exported as labels.jsonl for
    `socialscan train claims`.
    """
    result = run_scan(inputs, format_, segmenter, strict, quiet, report=output, **stage_args)
    if not quiet:
        click.echo(f"Report: {result.report}", err=True)
