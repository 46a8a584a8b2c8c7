"""``predictkit run``: upload file inputs, create, follow, download outputs, and cancel on Ctrl-C.

Inputs are ``-i key=value``: a value that parses as JSON (``3``, ``true``, ``[1, 2]``,
``{"a": 1}``, ``"quoted"``) is that JSON value, anything else is the text as typed, and
``key=@path`` is a file, uploaded before the prediction is created (with a progress bar on a
terminal) and sent as its URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import click

from predictkit._errors import ConflictError, PredictKitError
from predictkit._types import CreatePredictionParams, Status
from predictkit.cli._app import State, cli, json_option, pass_state
from predictkit.cli._errors import INTERRUPTED, CliError, one_line
from predictkit.cli._predictions import _TIMEOUT, finish, follow_stream, wait_live
from predictkit.model_ref import ModelRef

__all__ = ["output_urls", "parse_inputs", "run"]

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def parse_inputs(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``("prompt=hi", "n=3", "image=@cat.png")`` -> ``{"prompt": "hi", "n": 3, "image":
    Path("cat.png")}``. A key given twice is an error rather than a silent overwrite."""
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"-i {pair!r}: expected KEY=VALUE (or KEY=@FILE)")
        if key in result:
            raise CliError(f"-i {key}: given more than once")
        result[key] = _value(raw)
    return result


def _value(raw: str) -> Any:
    if raw.startswith("@"):
        if not raw[1:]:
            raise CliError("-i KEY=@FILE: the file name is missing after '@'")
        return Path(raw[1:]).expanduser()
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def output_urls(value: Any) -> Iterator[str]:
    """The http(s) URLs in a prediction's output, depth first: the files it made."""
    if isinstance(value, str):
        if value.startswith(("https://", "http://")):
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from output_urls(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from output_urls(item)


def _file_name(url: str, index: int, used: set[str]) -> str:
    """A safe local name from the URL's last path segment (never a path), unique in ``used``."""
    name = PurePosixPath(urlsplit(url).path).name
    if not _SAFE_NAME.match(name):
        name = f"output-{index}"
    stem, dot, suffix = name.partition(".")
    candidate, n = name, 1
    while candidate in used:
        candidate = f"{stem}-{n}{dot}{suffix}"
        n += 1
    used.add(candidate)
    return candidate


def _download(state: State, output: Any, directory: Path) -> None:
    urls = list(dict.fromkeys(output_urls(output)))
    if not urls:
        state.output.note("no output files to download")
        return
    directory.mkdir(parents=True, exist_ok=True)
    used: set[str] = {p.name for p in directory.iterdir()}
    for index, url in enumerate(urls):
        target = directory / _file_name(url, index, used)
        size = state.client.predictions.download_output(url, target)
        state.output.note(f"saved {target} ({size} bytes)")


def _interrupted(state: State, prediction_id: str, *, detach: bool) -> int:
    """Ctrl-C while following a prediction: cancel it (or leave it running) and say which."""
    output = state.output
    if detach:
        output.text(prediction_id)
        output.error(f"interrupted; prediction {prediction_id} is still running")
        return INTERRUPTED
    try:
        state.client.predictions.cancel(prediction_id)
    except ConflictError:
        output.error(f"interrupted; prediction {prediction_id} had already ended")
    except KeyboardInterrupt:
        output.error(f"interrupted again; prediction {prediction_id} may still be running")
    except PredictKitError as exc:
        output.error(f"interrupted; could not cancel prediction {prediction_id}: {one_line(exc)}")
    else:
        output.error(f"interrupted; cancelled prediction {prediction_id}")
    return INTERRUPTED


@cli.command()
@click.argument("model_ref")
@click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    metavar="KEY=VALUE",
    help="An input field: JSON if it parses, else text; KEY=@FILE uploads a file.",
)
@click.option("--stream", is_flag=True, help="Print output as it is produced.")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Download the output's files into this directory.",
)
@click.option(
    "--validate-input",
    is_flag=True,
    help="Have the API check the input against the model's schema first (exit code 6).",
)
@click.option("--no-wait", is_flag=True, help="Print the prediction id and exit at once.")
@click.option(
    "--detach-on-interrupt",
    is_flag=True,
    help="On Ctrl-C leave the prediction running and print its id (default: cancel it).",
)
@_TIMEOUT
@json_option
@pass_state
def run(
    state: State,
    *,
    model_ref: str,
    inputs: tuple[str, ...],
    stream: bool,
    output_dir: Path | None,
    validate_input: bool,
    no_wait: bool,
    detach_on_interrupt: bool,
    timeout: float | None,
    as_json: bool,
) -> None:
    """Run a model (owner/name or owner/name:version) and print its output.

    Exit code 0 when it succeeds, 13 when it fails, 130 on Ctrl-C (which cancels it unless
    --detach-on-interrupt).
    """
    ModelRef.parse(model_ref)  # a bad reference fails before any upload
    input_ = parse_inputs(inputs)
    client = state.client
    files = sum(isinstance(v, Path) for v in input_.values())
    if files:
        with state.output.progress(f"uploading {files} file{'s' * (files > 1)}") as on_progress:
            input_ = client.uploads.resolve_files(input_, on_progress=on_progress)
    params: CreatePredictionParams = {"input": input_}
    if stream:
        params["stream"] = True
    if validate_input:
        params["validate_input"] = True
    p = client.predictions.create(params, model=model_ref)
    if no_wait:
        state.output.json(p.to_dict()) if as_json else state.output.text(p.id)
        return
    streamed = False
    try:  # from here on, Ctrl-C cancels the prediction (or detaches from it)
        state.output.note(f"prediction {p.id} created")
        if stream:
            streamed = follow_stream(state, p.id, print_chunks=not as_json)
        final = wait_live(state, p.id, timeout)
    except KeyboardInterrupt:
        click.get_current_context().exit(_interrupted(state, p.id, detach=detach_on_interrupt))
    if output_dir is not None and final.status == Status.succeeded:
        _download(state, final.output, output_dir)
    code = finish(state, final, as_json=as_json, show_output=not streamed)
    click.get_current_context().exit(code)
