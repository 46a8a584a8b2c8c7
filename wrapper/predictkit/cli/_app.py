"""The ``predictkit`` command group: global options, the client, and error handling.

Every command gets a ``State`` (``@pass_state``): the Output for this invocation and a Client
made on first use from ``--token`` / ``--base-url`` or the environment (WRIFTAI_ACCESS_TOKEN,
WRIFTAI_API_BASE_URL). Any exception a command lets out ends here, in ``_Group.invoke``: one
line on stderr and the exit code from ``_errors.EXIT_CODES``; a traceback only with --debug.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import click

from predictkit._client import Client
from predictkit._version import __version__
from predictkit.cli._errors import BROKEN_PIPE, INTERRUPTED, OK, exit_code, one_line
from predictkit.cli._output import Output

__all__ = ["State", "cli", "pass_state"]

P = ParamSpec("P")
R = TypeVar("R")


class State:
    """What one invocation shares between the group and its command."""

    def __init__(self, token: str | None, base_url: str | None, debug: bool) -> None:
        self._token = token
        self._base_url = base_url
        self.debug = debug
        self.output = Output()
        self._client: Client | None = None

    def __repr__(self) -> str:
        return f"State(base_url={self._base_url!r}, debug={self.debug})"  # never the token

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = Client(access_token=self._token, api_base_url=self._base_url)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def pass_state(f: Callable[Concatenate[State, P], R]) -> Callable[P, R]:
    """Give a command the invocation's State as its first argument."""

    @functools.wraps(f)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        state = click.get_current_context().find_object(State)
        assert state is not None, "a predictkit command runs inside the predictkit group"
        return f(state, *args, **kwargs)

    return wrapper


class _Group(click.Group):
    """Turns what a command raises into one line on stderr and a documented exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, with its own errors (usage, Ctrl-C while parsing) on one line."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            sys.stderr.write(exc.format_message() + "\n")  # bare `predictkit`: the help
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            Output().error(exc.format_message() + where)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            Output().error(exc.format_message())
            sys.exit(exc.exit_code)
        except click.Abort:
            Output().error("interrupted")
            sys.exit(INTERRUPTED)
        sys.exit(code if isinstance(code, int) else OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own: usage errors and explicit exits, for main
        except BrokenPipeError:  # nobody reads stdout any more (`predictkit list | head -1`)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
            ctx.exit(BROKEN_PIPE)
        except KeyboardInterrupt:
            _report(ctx, "interrupted", None)
            ctx.exit(INTERRUPTED)
        except Exception as exc:
            _report(ctx, one_line(exc), exc)
            ctx.exit(exit_code(exc))


def _report(ctx: click.Context, message: str, exc: BaseException | None) -> None:
    state = ctx.find_object(State)
    output = state.output if state is not None else Output()
    if exc is not None and state is not None and state.debug:
        output.err.print("".join(traceback.format_exception(exc)), markup=False, highlight=False)
    output.error(message)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--token",
    metavar="TOKEN",
    default=None,
    help="Access token (default: $WRIFTAI_ACCESS_TOKEN). Never printed.",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="API base URL (default: $WRIFTAI_API_BASE_URL, else the public API).",
)
@click.option("--debug", is_flag=True, help="Log each request, and show tracebacks on errors.")
@click.version_option(__version__, "-V", "--version", prog_name="predictkit")
@click.pass_context
def cli(ctx: click.Context, token: str | None, base_url: str | None, debug: bool) -> None:
    """predictkit: run and inspect WriftAI predictions from a shell.

    Results go to stdout, progress and errors to stderr. Exit codes are listed in the README
    ("Command line"); 0 means success.
    """
    state = State(token, base_url, debug)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if debug:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        logger = logging.getLogger("predictkit")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        ctx.call_on_close(lambda: logger.removeHandler(handler))


def json_option(f: Callable[P, R]) -> Callable[P, R]:
    """``--json``: the API's JSON on stdout instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)
