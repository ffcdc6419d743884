"""``eval segments``, ``eval claims`` and ``train claims``: scoring against gold data, and fitting
a claims model of your own labels."""

from __future__ import annotations

import click

from .options import (
    CLAIM_EMBEDDERS,
    accurate_opt,
    claim_embedder_opt,
    claim_model_arg,
    claim_model_opt,
    data_opt,
    deprecated_alias,
    json_opt,
    quiet_opt,
    segmenter_opt,
    taxonomy_opt,
)


@click.group(name="eval")
def eval_group():
    """Score socialscan against gold data."""


@eval_group.command(name="segments")
@click.argument("dump", type=click.Path(dir_okay=True, allow_dash=True))
@click.argument("gold", type=click.Path(dir_okay=True))
@click.option(
    "--format", "format_", type=click.Choice(("dump", "lines")), default="dump", show_default=True
)
@segmenter_opt
@click.option(
    "--join-threads",
    is_flag=True,
    help="Score consecutive records that share a thread_id as one unit.",
)
@json_opt
def eval_segments_cmd(dump, gold, format_, segmenter, join_threads, as_json):
    """Boundary precision, recall, F1 and WindowDiff of DUMP's parse against GOLD spans.

    GOLD is JSONL, one object a line with line_start and line_end (1-based, inclusive).
    """
    import orjson

    from ..evaluation.segments import eval_segments

    s = eval_segments(dump, gold, format=format_, segmenter=segmenter, join_threads=join_threads)
    if as_json:
        click.echo(orjson.dumps(s.to_dict()).decode())
        return
    click.echo(
        f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"WindowDiff {s.window_diff:.3f} (k={s.k})  units: gold {s.gold_units}, predicted {s.predicted_units}"
    )


@eval_group.command(name="claims")
@click.argument("gold", type=click.Path(dir_okay=False))
@taxonomy_opt
@claim_embedder_opt
@claim_model_opt
@accurate_opt
@click.option(
    "--split", default=None, help="Only score gold lines of this split (train, dev or test)."
)
@json_opt
@data_opt
@deprecated_alias(
    "--embedder", "--claim-embedder", "claim_embedder", type=click.Choice(CLAIM_EMBEDDERS)
)
def eval_claims_cmd(gold, taxonomy, claim_embedder, claim_model, accurate, split, as_json, data):
    """Per-label precision, recall, F1, support, confusions and macro-F1 against GOLD.

    GOLD is JSONL, one {"text": ..., "labels": [...]} a line.
    """
    import orjson

    from ..evaluation.claims import eval_claims

    s = eval_claims(
        gold,
        taxonomy,
        embedder=claim_embedder,
        model=claim_model_arg(claim_model, accurate),
        split=split,
        data=data,
    )
    if as_json:
        click.echo(orjson.dumps(s.to_dict()).decode())
        return
    click.echo(s.table())


@click.group(name="train")
def train_group():
    """Train socialscan's optional models from labelled data."""


@train_group.command(name="claims")
@click.argument("labelled", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    required=True,
    help="Directory for the model (use it with --claim-model DIR).",
)
@taxonomy_opt
@click.option("--no-curve", is_flag=True, help="Skip the learning curve (two more fits).")
@click.option(
    "--from",
    "from_model",
    default=None,
    help="Start from a trained model (default: the shipped one, or a directory) and learn "
    "LABELLED's corrections and new labels, e.g. a report's labels.jsonl.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@quiet_opt
@data_opt
def train_claims_cmd(labelled, output, taxonomy, no_curve, from_model, as_json, quiet, data):
    """Train a claims model on LABELLED JSONL ({"text": ..., "labels": [...]}, "split" optional).

    Splits off a test set (the file's `split` field, else a stable hash: 60/20/20), fits a head
    per label over the static model's vectors and the posts' features, calibrates it and picks
    thresholds on the dev split, and prints per-label precision / recall / F1 on the test split
    for the zero-shot scorer and the trained model side by side, a learning curve, and warnings
    where it overfits or a label has too few examples. No pickle: JSON and safetensors.

    With --from default, the shipped model is the start: labels LABELLED does not correct keep
    their heads, corrected ones are refitted toward the corrections, new labels get heads of
    their own, and the table shows the shipped model and the new one on the test posts.
    LABELLED may be a report's labels.jsonl ("rejected": labels turned off).
    """
    import orjson

    from ..claims import train_claims

    say = None if quiet else (lambda m: click.echo(m, err=True))
    report = train_claims(
        labelled,
        output,
        taxonomy,
        curve=not no_curve,
        progress=say,
        data=data,
        from_model=from_model,
    )
    if from_model is not None:
        click.echo(orjson.dumps(report.to_dict()).decode() if as_json else report.text())
        return
    if as_json:
        click.echo(
            orjson.dumps(
                {
                    "labels": report.labels,
                    "sizes": report.sizes,
                    "positives": report.positives,
                    "zero_shot": report.zero_shot.to_dict(),
                    "trained": report.trained.to_dict(),
                    "train": report.train_scores.to_dict(),
                    "curve": report.curve,
                    "warnings": report.warnings,
                    "model": report.model_dir,
                }
            ).decode()
        )
        return
    click.echo(report.text())
