"""The ``socialscan`` command: a thin click layer over the Python API.

Every command parses its options and calls one library function; library errors
(:class:`~socialscan.errors.SocialscanError`) become ``Error: ...`` on one line and exit 2,
anything unexpected exit 1 (traceback only with ``--debug``). Heavy libraries (torch, BERTopic,
UMAP) are imported inside the commands that need them, never here.
"""

from __future__ import annotations

import sys
import traceback

import click

from .errors import SocialscanError

INPUT_FORMATS = ("auto", "dump", "lines", "jsonl", "archive", "csv")
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")


class Group(click.Group):
    """A group that turns errors into one line and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SocialscanError as e:
            _fail(ctx, str(e), 2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            _fail(ctx, "interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except Exception as e:  # an internal fault
            _fail(
                ctx, f"internal error: {type(e).__name__}: {e} (rerun with --debug for details)", 1
            )


def _fail(ctx: click.Context, message: str, code: int) -> None:
    if (ctx.obj or {}).get("debug"):
        traceback.print_exc()
    click.echo(f"Error: {message.splitlines()[0] if message else 'failed'}", err=True)
    ctx.exit(code)


def _resolve_to(to: str | None, output: str | None) -> str:
    """--to, else the format -o's extension names (an unknown extension is an error)."""
    from .export.writers import output_format

    return output_format(output, to)


def _warn(stats) -> None:
    """The parse's warnings on stderr, even under --quiet: the output may not be what was meant."""
    for w in stats.warnings:
        click.echo(f"Warning: {w}", err=True)


input_args = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True)
)
format_opt = click.option(
    "--format",
    "format_",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="Input format (auto-detected from the name and first bytes).",
)
segmenter_opt = click.option(
    "--segmenter",
    type=click.Choice(("auto", "fast", "minilm")),
    default="auto",
    show_default=True,
    help="How raw dumps are split: fast (layout and static vectors), minilm (MiniLM vectors "
    "too: more accurate, ~20x slower; needs `socialscan models --prepare`), auto (minilm for "
    "files up to 1 MB when prepared, else fast).",
)
to_opt = click.option(
    "--to",
    type=click.Choice(OUTPUT_FORMATS),
    default=None,
    help="Output format [default: from -o's extension, else jsonl].",
)
output_opt = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, allow_dash=True),
    default=None,
    help="Output file (written atomically) [default: stdout]; with --engine dask, a dataset directory.",
)
strict_opt = click.option(
    "--strict", is_flag=True, help="Fail on malformed records instead of skipping them."
)
quiet_opt = click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
keep_ids_opt = click.option(
    "--keep-duplicate-ids",
    is_flag=True,
    help="Keep a tweet whose id came before (by default it is dropped, and counted).",
)


def engine_opts(f):
    """--engine, --scheduler and --partitions: run on a Dask cluster (see docs/dask.md)."""
    f = click.option(
        "--partitions",
        type=click.IntRange(min=1),
        default=None,
        help="With --engine dask: about this many partitions [default: a file each, big lines/jsonl files cut].",
    )(f)
    f = click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="With --engine dask: a running Dask scheduler, e.g. tcp://host:8786 [default: 2 local workers].",
    )(f)
    return click.option(
        "--engine",
        type=click.Choice(("local", "dask")),
        default="local",
        show_default=True,
        help="dask: run on a Dask cluster, write a Parquet dataset directory to -o.",
    )(f)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="socialscan")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Parse, classify, topic-model and report on scraped social posts, offline.

    \b
    Everyday use:
      socialscan scan dump.txt                    # summary in the terminal
      socialscan scan dump.txt --report out.html  # and a self-contained HTML report
      socialscan parse dump.txt -o posts.csv      # records with line spans
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@input_args
@format_opt
@segmenter_opt
@to_opt
@output_opt
@strict_opt
@quiet_opt
@keep_ids_opt
@engine_opts
def parse(
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
    if _dask_engine(engine, scheduler, partitions):
        return _dask_command(
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
    from .api import parse_to
    from .progress import progress
    from .readers.stats import ParseStats

    stats = ParseStats()
    with progress("parsing", quiet) as bar:
        parse_to(
            list(inputs),
            output,
            to=_resolve_to(to, output),
            format=format_,
            strict=strict,
            stats=stats,
            on_records=bar.advance,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    _warn(stats)
    if not quiet:
        click.echo(stats.summary(), err=True)


@main.group(name="eval")
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
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_segments_cmd(dump, gold, format_, segmenter, join_threads, as_json):
    """Boundary precision, recall, F1 and WindowDiff of DUMP's parse against GOLD spans.

    GOLD is JSONL, one object a line with line_start and line_end (1-based, inclusive).
    """
    import orjson

    from .evaluation.segments import eval_segments

    s = eval_segments(dump, gold, format=format_, segmenter=segmenter, join_threads=join_threads)
    if as_json:
        click.echo(orjson.dumps(s.to_dict()).decode())
        return
    click.echo(
        f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"WindowDiff {s.window_diff:.3f} (k={s.k})  units: gold {s.gold_units}, predicted {s.predicted_units}"
    )


#: --model on scan, report, tag and eval claims.
MODEL_OPTION = dict(
    default="default",
    show_default=True,
    help="The claims model: default (shipped), accurate (fine-tuned MiniLM), a directory "
    "from `socialscan train claims`, or zero-shot (cues and examples only).",
)

stage_opts = [
    click.option("--no-claims", is_flag=True, help="Skip the claims stage."),
    click.option("--no-topics", is_flag=True, help="Skip the topics stage."),
    click.option(
        "--embedder",
        type=click.Choice(("auto", "static", "minilm-onnx", "minilm-q8", "minilm", "hashing")),
        default="auto",
        show_default=True,
        help="Embeddings for topics (as for `socialscan topics`; auto: minilm-onnx up to "
        "10,000 posts, static beyond).",
    ),
    click.option(
        "--taxonomy",
        type=click.Path(dir_okay=False, exists=True),
        default=None,
        help="A claims taxonomy file.",
    ),
    click.option("--model", "model", **MODEL_OPTION),
    click.option(
        "--seed", type=int, default=42, show_default=True, help="Seed for the topics stage."
    ),
    click.option("--title", default=None, help="The report's title [default: the input's name]."),
    keep_ids_opt,
]


def _stage_opts(f):
    for opt in reversed(stage_opts):
        f = opt(f)
    return f


def _run_scan(
    inputs,
    format_,
    segmenter,
    strict,
    quiet,
    no_claims,
    no_topics,
    embedder,
    taxonomy,
    model,
    seed,
    title,
    report,
    keep_duplicate_ids=False,
):
    from .export.writers import require_suffix
    from .pipeline import scan as scan_fn
    from .progress import progress

    require_suffix(report, (".html", ".htm"), "the report")  # before any work
    with progress("parsing", quiet) as bar:
        result = scan_fn(
            list(inputs),
            format=format_,
            claims=not no_claims,
            topics=not no_topics,
            embedder=embedder,
            taxonomy=taxonomy,
            model=_model_arg(model),
            seed=seed,
            report=report,
            title=title,
            strict=strict,
            progress=bar,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    _warn(result.stats)
    return result


@main.command()
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
@strict_opt
@quiet_opt
@_stage_opts
def scan(inputs, format_, segmenter, report, as_json, strict, quiet, **stage_args):
    """Scan INPUTS: parse, tag claims, fit topics, and print a summary.

    The summary lists counts by kind, claims per label with the strongest evidence, topics with
    their terms, and the top domains and handles: tables on a terminal, plain text when piped,
    JSON with --json. With --report, also write the self-contained HTML report.
    """
    from .report.terminal import show_summary

    result = _run_scan(inputs, format_, segmenter, strict, quiet, report=report, **stage_args)
    if as_json:
        click.echo(result.to_json())
    else:
        show_summary(result.summary(), report=str(result.report) if result.report else None)


@main.command()
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
@strict_opt
@quiet_opt
@_stage_opts
def report(inputs, format_, segmenter, output, strict, quiet, **stage_args):
    """Write a self-contained HTML report on INPUTS (parse -> claims -> topics).

    The file opens offline by double-click: overview, claims with evidence, a map of topics,
    links and mentions, and a searchable post explorer with line spans.
    """
    result = _run_scan(inputs, format_, segmenter, strict, quiet, report=output, **stage_args)
    if not quiet:
        click.echo(f"Report: {result.report}", err=True)


taxonomy_opt = click.option(
    "--taxonomy",
    type=click.Path(dir_okay=False),
    default=None,
    help="Claim taxonomy file (YAML/JSON) adding to or replacing the default labels.",
)
embedder_opt = click.option(
    "--embedder",
    type=click.Choice(("static", "minilm")),
    default="static",
    show_default=True,
    help="Sentence embedder of the zero-shot scorer (similarity to label examples).",
)
model_opt = click.option("--model", "model", **MODEL_OPTION)
data_opt = click.option(
    "--data",
    type=click.Path(file_okay=False),
    default=None,
    help="Where a corpus's pointers point (lines holding a `pointer` instead of `text`).",
)
accurate_opt = click.option(
    "--accurate",
    is_flag=True,
    help="The slower, more accurate claims model (same as --model accurate).",
)


def _model_arg(model: str, accurate: bool = False):
    """The ``model=`` of the Python API for a --model value."""
    if accurate:
        return "accurate"
    if model in ("zero-shot", "none"):
        return None
    return model


@main.command()
@input_args
@format_opt
@segmenter_opt
@taxonomy_opt
@to_opt
@output_opt
@embedder_opt
@model_opt
@accurate_opt
@strict_opt
@quiet_opt
@keep_ids_opt
@engine_opts
def tag(
    inputs,
    format_,
    segmenter,
    taxonomy,
    to,
    output,
    embedder,
    model,
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
    model = _model_arg(model, accurate)
    if _dask_engine(engine, scheduler, partitions, model=model):
        return _dask_command(
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
            claims_embedder=embedder,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    from .api import iter_parse
    from .claims import tag_posts
    from .export import write_records
    from .progress import progress
    from .readers.stats import ParseStats
    from .records import COLUMNS

    stats = ParseStats()
    with progress("tagging", quiet) as bar:

        def records():
            posts = iter_parse(
                list(inputs),
                format=format_,
                stats=stats,
                strict=strict,
                segmenter=segmenter,
                dedupe=not keep_duplicate_ids,
            )
            for rec in tag_posts(posts, taxonomy, embedder=embedder, model=model):
                bar.advance()
                yield rec

        write_records(
            records(), output, to=_resolve_to(to, output), columns=(*COLUMNS, "claims", "labels")
        )
    _warn(stats)
    if not quiet:
        click.echo(stats.summary(), err=True)


if "train" in main.commands:  # another stage may already have opened the group
    train_group = main.commands["train"]
else:

    @main.group(name="train")
    def train_group():
        """Train socialscan's optional models from labelled data."""


@train_group.command(name="claims")
@click.argument("labelled", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    required=True,
    help="Directory for the model (use it with --model DIR).",
)
@taxonomy_opt
@click.option("--no-curve", is_flag=True, help="Skip the learning curve (two more fits).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@quiet_opt
@data_opt
def train_claims_cmd(labelled, output, taxonomy, no_curve, as_json, quiet, data):
    """Train a claims model on LABELLED JSONL ({"text": ..., "labels": [...]}, "split" optional).

    Splits off a test set (the file's `split` field, else a stable hash: 60/20/20), fits a head
    per label over the static model's vectors and the posts' features, calibrates it and picks
    thresholds on the dev split, and prints per-label precision / recall / F1 on the test split
    for the zero-shot scorer and the trained model side by side, a learning curve, and warnings
    where it overfits or a label has too few examples. No pickle: JSON and safetensors.
    """
    import orjson

    from .claims import train_claims

    say = None if quiet else (lambda m: click.echo(m, err=True))
    report = train_claims(labelled, output, taxonomy, curve=not no_curve, progress=say, data=data)
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


@eval_group.command(name="claims")
@click.argument("gold", type=click.Path(dir_okay=False))
@taxonomy_opt
@embedder_opt
@model_opt
@accurate_opt
@click.option(
    "--split", default=None, help="Only score gold lines of this split (train, dev or test)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@data_opt
def eval_claims_cmd(gold, taxonomy, embedder, model, accurate, split, as_json, data):
    """Per-label precision, recall, F1, support, confusions and macro-F1 against GOLD.

    GOLD is JSONL, one {"text": ..., "labels": [...]} a line.
    """
    import orjson

    from .evaluation.claims import eval_claims

    s = eval_claims(
        gold, taxonomy, embedder=embedder, model=_model_arg(model, accurate), split=split, data=data
    )
    if as_json:
        click.echo(orjson.dumps(s.to_dict()).decode())
        return
    click.echo(s.table())


@main.command()
@input_args
@format_opt
@segmenter_opt
@click.option(
    "--embedder",
    type=click.Choice(("auto", "static", "minilm-onnx", "minilm-q8", "minilm")),
    default="auto",
    show_default=True,
    help="auto: minilm-onnx up to 10,000 posts, static beyond; static: fastest; "
    "minilm-onnx: int8 transformer in ONNX Runtime (exported once, ~600 posts/s); "
    "minilm-q8: int8 transformer in torch; minilm: float transformer, slower.",
)
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
def topics(
    inputs,
    format_,
    segmenter,
    embedder,
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
    if _dask_engine(engine, scheduler, partitions):
        return _dask_command(
            inputs,
            output,
            to,
            quiet,
            format=format_,
            strict=strict,
            scheduler=scheduler,
            partitions=partitions,
            topics=True,
            topics_embedder=embedder,
            min_topic_size=min_topic_size,
            nr_topics=nr_topics,
            seed=seed,
            sample=sample,
            topics_out=topics_out,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        )
    import orjson

    from .api import iter_parse
    from .errors import TooFewPosts
    from .export import atomic_output, write_records
    from .export.writers import require_suffix
    from .progress import progress
    from .readers.stats import ParseStats
    from .records import COLUMNS
    from .topics import fit_topics

    to = _resolve_to(to, output)  # both outputs' names before any work
    require_suffix(topics_out, (".json",), "the topic table")
    stats = ParseStats()
    with progress("parsing", quiet) as bar:
        posts = []
        for post in iter_parse(
            list(inputs),
            format=format_,
            stats=stats,
            strict=strict,
            segmenter=segmenter,
            dedupe=not keep_duplicate_ids,
        ):
            posts.append(post)
            bar.advance()
    _warn(stats)
    try:
        result = fit_topics(
            posts, embedder=embedder, min_topic_size=min_topic_size, nr_topics=nr_topics, seed=seed
        )
    except TooFewPosts as e:  # not a fault of the input: the records go out without topics
        result, note = None, str(e)
    if topics_out:
        with atomic_output(topics_out, "wb") as fh:
            fh.write(orjson.dumps(result.records() if result else [], option=orjson.OPT_INDENT_2))
    topics_of = result.topics if result else [None] * len(posts)
    labels_of = result.labels if result else [None] * len(posts)

    def records():
        for post, topic, label in zip(posts, topics_of, labels_of, strict=True):
            yield {**post.to_dict(), "topic": topic, "topic_label": label}

    write_records(records(), output, to=to, columns=(*COLUMNS, "topic", "topic_label"))
    if result is None:  # said even under --quiet: the output lacks what was asked for
        click.echo(note, err=True)
    elif not quiet:
        click.echo(result.summary(), err=True)


@main.command()
@click.option(
    "--prepare",
    is_flag=True,
    help="Build what is missing (the ONNX export of MiniLM, ~15-30 s once).",
)
@quiet_opt
def models(prepare, quiet):
    """List the offline models and whether each is ready (--prepare builds the missing ones).

    Nothing is downloaded: every model comes from an installed package. `make install` runs
    `socialscan models --prepare`, so the first `topics` or `scan` does not pay for the export.
    """
    from .embed.models import model_status, prepare_models
    from .progress import progress

    if prepare:
        with progress("preparing models", quiet):
            status = prepare_models()
    else:
        status = model_status()
    if quiet:
        return
    for m in status:
        click.echo(f"{m.name:<12} {'ready' if m.ready else 'missing':<8} {m.path}")
        click.echo(f"{'':<12} {m.about}")


def _dask_engine(
    engine: str, scheduler: str | None, partitions: int | None, model: str | None = "default"
) -> bool:
    """True for --engine dask; --scheduler and --partitions need it."""
    from .errors import InvalidOption

    if engine != "dask":
        if scheduler or partitions:
            raise InvalidOption("--scheduler and --partitions need --engine dask")
        return False
    if model != "default":
        raise InvalidOption("--engine dask tags with the shipped claims model only (for now)")
    return True


def _dask_command(inputs, output, to, quiet, **options) -> None:
    """--engine dask for parse, tag and topics: a Parquet dataset directory at -o."""
    from .errors import InvalidOption

    if not output or output == "-":
        raise InvalidOption("--engine dask writes a Parquet dataset directory: add -o DIR")
    if to not in (None, "parquet"):
        raise InvalidOption(f"--engine dask writes Parquet, not {to}")
    from .distributed.engine import run_dask

    result = run_dask(list(inputs), output, **options)
    if not quiet:
        click.echo(result.summary(), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
