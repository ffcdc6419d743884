"""The options more than one command takes, each defined once, and the helpers they share.

An option that means one thing has one name, the same as the Python keyword it fills
(``--topic-embedder`` <-> ``topic_embedder=``); an old name stays as a hidden alias.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..formats import INPUT_FORMATS, OUTPUT_FORMATS

#: The topics stage's embedders (``auto``: MiniLM for a corpus up to 10,000 posts, else static).
TOPIC_EMBEDDERS = ("auto", "static", "minilm-onnx", "minilm-q8", "minilm", "hashing")
#: The claims stage's zero-shot embedders.
CLAIM_EMBEDDERS = ("static", "minilm")

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
    "too where the fast trees hesitate: more accurate, slower; needs `socialscan models "
    "--prepare`), auto (minilm for files up to 1 MB when prepared, else fast).",
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
topic_embedder_opt = click.option(
    "--topic-embedder",
    type=click.Choice(TOPIC_EMBEDDERS),
    default="auto",
    show_default=True,
    help="auto: minilm-onnx up to 10,000 posts, static beyond; static: fastest; "
    "minilm-onnx: int8 transformer in ONNX Runtime (exported once, ~600 posts/s); "
    "minilm-q8: int8 transformer in torch; minilm: float transformer, slower.",
)
claim_embedder_opt = click.option(
    "--claim-embedder",
    type=click.Choice(CLAIM_EMBEDDERS),
    default="static",
    show_default=True,
    help="Sentence embedder of the zero-shot scorer (similarity to label examples).",
)
claim_model_opt = click.option(
    "--claim-model",
    "--model",
    "claim_model",
    default="default",
    show_default=True,
    help="The claims model: default (shipped), accurate (fine-tuned MiniLM), a directory "
    "from `socialscan train claims`, or zero-shot (cues and examples only).",
)
accurate_opt = click.option(
    "--accurate",
    is_flag=True,
    help="The slower, more accurate claims model (same as --claim-model accurate).",
)
taxonomy_opt = click.option(
    "--taxonomy",
    type=click.Path(dir_okay=False),
    default=None,
    help="Claim taxonomy file (YAML/JSON) adding to or replacing the default labels.",
)
data_opt = click.option(
    "--data",
    type=click.Path(file_okay=False),
    default=None,
    help="Where a corpus's pointers point (lines holding a `pointer` instead of `text`).",
)
json_opt = click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")


def engine_opts(f: Callable) -> Callable:
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


def deprecated_alias(old: str, new: str, param: str, **option: Any) -> Callable:
    """A hidden option ``old`` that fills ``param`` (the option ``new``), with a warning.

    Examples:
        >>> @click.command()
        ... @topic_embedder_opt
        ... @deprecated_alias("--embedder", "--topic-embedder", "topic_embedder",
        ...                   type=click.Choice(TOPIC_EMBEDDERS))
        ... def cmd(topic_embedder):
        ...     click.echo(topic_embedder)
        >>> from click.testing import CliRunner
        >>> r = CliRunner().invoke(cmd, ["--embedder", "static"])
        >>> r.stdout, r.stderr
        ('static\\n', 'Warning: --embedder is deprecated: use --topic-embedder\\n')
    """
    dest = f"deprecated_{param}"

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            value = kwargs.pop(dest)
            if value is not None:
                click.echo(f"Warning: {old} is deprecated: use {new}", err=True)
                kwargs[param] = value
            return f(*args, **kwargs)

        return click.option(old, dest, hidden=True, default=None, **option)(command)

    return decorate


def claim_model_arg(claim_model: str, accurate: bool = False) -> str | None:
    """The ``claim_model=`` of the Python API for --claim-model (and --accurate).

    Examples:
        >>> claim_model_arg("zero-shot"), claim_model_arg("default", accurate=True)
        (None, 'accurate')
    """
    if accurate:
        return "accurate"
    if claim_model in ("zero-shot", "none"):
        return None
    return claim_model


def warn(stats: Any) -> None:
    """The parse's warnings on stderr, even under --quiet: the output may not be what was meant."""
    for w in stats.warnings:
        click.echo(f"Warning: {w}", err=True)
