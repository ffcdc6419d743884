"""``models``: which offline models are ready, and building the missing ones."""

from __future__ import annotations

import click

from .options import quiet_opt


@click.command(name="models")
@click.option(
    "--prepare",
    is_flag=True,
    help="Build what is missing (the ONNX export of MiniLM, ~15-30 s once).",
)
@quiet_opt
def models_cmd(prepare, quiet):
    """List the offline models and whether each is ready (--prepare builds the missing ones).

    Nothing is downloaded: every model comes from an installed package. `make install` runs
    `socialscan models --prepare`, so the first `topics` or `scan` does not pay for the export.
    """
    from ..embed.models import model_status, prepare_models
    from ..progress import progress

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
