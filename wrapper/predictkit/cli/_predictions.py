"""Prediction commands that act on an existing id: get, list, cancel, wait, stream; and how a
prediction is shown and turned into an exit code (shared with ``run``)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import click

from predictkit._prediction import PredictionWithIO
from predictkit._types import Status
from predictkit.cli._app import State, cli, json_option, pass_state
from predictkit.cli._errors import CANCELLED, FAILED, OK
from predictkit.cli._output import Output
from predictkit.streaming import PredictionStream, is_stream_unavailable
from predictkit.waiting import WaitOptions

__all__ = ["finish", "follow_stream", "wait_live"]

_TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Give up waiting after this long (exit code 10); the prediction keeps running.",
)


def model_name(p: Any) -> str:
    return f"{p.model.owner}/{p.model.name}:{p.model.version_number}"


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def describe(output: Output, p: PredictionWithIO) -> None:
    """A prediction as ``field  value`` lines, then its output."""
    rows: list[tuple[str, Any]] = [
        ("id", p.id),
        ("model", model_name(p)),
        ("status", p.status),
        ("created", _when(p.created_at)),
    ]
    if p.error is not None:
        rows.append(("error", p.error.message))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        output.text(f"{name.ljust(width)}  {value}")
    if p.output is not None:
        output.value(p.output)


def finish(state: State, p: PredictionWithIO, *, as_json: bool, show_output: bool = True) -> int:
    """Print an ended prediction (JSON, or its output) and return its exit code."""
    output = state.output
    if as_json:
        output.json(p.to_dict())
    elif show_output and p.output is not None:
        output.value(p.output)
    if p.status == Status.failed:
        message = p.error.message if p.error is not None else "no error message"
        output.error(f"prediction {p.id} failed: {message}")
        return FAILED
    if p.status in (Status.cancelled, Status.abandoned):
        output.error(f"prediction {p.id} was {p.status}")
        return CANCELLED
    return OK


def wait_live(state: State, prediction_id: str, timeout: float | None) -> PredictionWithIO:
    """Wait for the prediction with a live status line (status, elapsed time)."""
    with state.output.status(f"prediction {prediction_id}", time.monotonic()) as update:
        options = WaitOptions(on_poll=lambda p: update(str(p.status)), timeout=timeout)
        return state.client.predictions.wait(prediction_id, options)


def follow_stream(state: State, prediction_id: str, *, print_chunks: bool) -> bool:
    """Print the prediction's output events as they arrive, until it ends. Returns whether
    anything was printed; False also when it has no event stream (the caller then waits)."""
    last: Any = None
    try:
        stream: PredictionStream = state.client.predictions.stream(prediction_id)
        with stream as events:
            for event in events:
                if event.event == "output" and print_chunks:
                    state.output.chunk(event.data)
                    last = event.data
    except Exception as exc:
        if last is not None or not is_stream_unavailable(exc):
            raise  # never fall back once chunks went out: the output would repeat
        state.output.note(f"prediction {prediction_id} has no event stream; waiting")
        return False
    if isinstance(last, str) and not last.endswith("\n"):
        state.output.text("")  # end the streamed text's line
    return last is not None


@cli.command()
@click.argument("prediction_id")
@json_option
@pass_state
def get(state: State, prediction_id: str, as_json: bool) -> None:
    """Show a prediction: its status, error and output."""
    p = state.client.predictions.get(prediction_id)
    if as_json:
        state.output.json(p.to_dict())
    else:
        describe(state.output, p)


@cli.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in Status]),
    help="Only predictions with this status (repeat for several).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many."
)
@json_option
@pass_state
def list_(state: State, statuses: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Your predictions, newest first."""
    items = list(state.client.predictions.list(statuses=statuses or None, limit=limit))
    if as_json:
        state.output.json([p.to_dict() for p in items])
        return
    rows = [
        (p.id, model_name(p), p.status, p.created_at.isoformat(timespec="seconds")) for p in items
    ]
    state.output.table(["ID", "MODEL", "STATUS", "CREATED"], rows)


@cli.command()
@click.argument("prediction_id")
@pass_state
def cancel(state: State, prediction_id: str) -> None:
    """Ask the API to stop a prediction (see its status with get or wait)."""
    state.client.predictions.cancel(prediction_id)
    state.output.text(f"cancel requested for prediction {prediction_id}")


@cli.command()
@click.argument("prediction_id")
@_TIMEOUT
@json_option
@pass_state
def wait(state: State, prediction_id: str, timeout: float | None, as_json: bool) -> None:
    """Wait for a prediction to end, then print its output (exit code 13 if it failed)."""
    p = wait_live(state, prediction_id, timeout)
    click.get_current_context().exit(finish(state, p, as_json=as_json))


@cli.command()
@click.argument("prediction_id")
@click.option("--after", metavar="EVENT_ID", default=None, help="Resume after this event id.")
@json_option
@pass_state
def stream(state: State, prediction_id: str, after: str | None, as_json: bool) -> None:
    """Print a prediction's output as it is produced (--json: every event, one JSON per line)."""
    last = None
    with state.client.predictions.stream(prediction_id, after_id=after) as events:
        for event in events:
            last = event
            if as_json:
                state.output.text(_compact(event.to_dict()))
            elif event.event == "output":
                state.output.chunk(event.data)
    if last is not None and last.event == "error":
        state.output.error(f"prediction {prediction_id} failed: {_compact(last.data)}")
        click.get_current_context().exit(FAILED)


def _compact(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
