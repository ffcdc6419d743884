"""The ``socialscan`` command: a thin click layer over the Python API.

Every command parses its options and calls one library function of the same shape
(:mod:`socialscan.api`); library errors (:class:`~socialscan.errors.SocialscanError`) become
``Error: ...`` on one line and exit 2, anything unexpected exit 1 (traceback only with
``--debug``). Heavy libraries (torch, BERTopic, UMAP, spaCy) are imported inside the commands
that need them, never here.

- :mod:`.options`: the options several commands share, each defined once.
- :mod:`.records`: ``parse``, ``tag``, ``topics`` (one record a post; ``--engine dask``).
- :mod:`.scan`: ``scan``, ``report``.
- :mod:`.train_eval`: ``eval segments``, ``eval claims``, ``train claims``.
- :mod:`.models`: ``models``.
"""

from __future__ import annotations

import sys
import traceback

import click

from ..errors import SocialscanError
from .models import models_cmd
from .records import parse_cmd, tag_cmd, topics_cmd
from .scan import report_cmd, scan_cmd
from .train_eval import eval_group, train_group


class Group(click.Group):
    """A group that turns errors into one line and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SocialscanError as e:
            fail(ctx, str(e), 2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            fail(ctx, "interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except Exception as e:  # an internal fault
            fail(
                ctx, f"internal error: {type(e).__name__}: {e} (rerun with --debug for details)", 1
            )


def fail(ctx: click.Context, message: str, code: int) -> None:
    """``Error: <first line of message>`` on stderr (the traceback too under --debug), exit ``code``."""
    if (ctx.obj or {}).get("debug"):
        traceback.print_exc()
    click.echo(f"Error: {message.splitlines()[0] if message else 'failed'}", err=True)
    ctx.exit(code)


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


for command in (
    parse_cmd,
    tag_cmd,
    topics_cmd,
    scan_cmd,
    report_cmd,
    eval_group,
    train_group,
    models_cmd,
):
    main.add_command(command)
