"""Commands for the rest of the API: models, versions, hardware, search, whoami, variables.

They call the generated resources on the client (``client.models``, ``client.models.versions``,
``client.hardware``, ``client.search``, ``client.authenticated_user``, ``client.variables``).
Rows are read from each item's ``to_dict()`` (the API's JSON), so a field the API leaves out
prints as an empty cell, and ``--json`` prints exactly what the API sent.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from predictkit import Client
from predictkit.cli._app import State, cli, json_option, pass_state
from predictkit.cli._errors import CliError

__all__ = ["hardware", "models", "search", "variables", "whoami"]

_LIMIT = click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many."
)


def _api(state: State) -> Client:
    """The client, whose resource attributes are generated (predictkit_api.api.Resources)."""
    client: Client = state.client
    return client


def _show(
    state: State, items: Iterable[Any], columns: Sequence[tuple[str, str]], as_json: bool
) -> None:
    """Items as a table of ``(header, key)`` columns (``a.b`` reads a nested key), or JSON."""
    dicts = [item.to_dict() for item in items]
    if as_json:
        state.output.json(dicts)
        return
    state.output.table([h for h, _ in columns], [[_dig(d, k) for _, k in columns] for d in dicts])


def _dig(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _one(state: State, item: Any, fields: Sequence[tuple[str, str]], as_json: bool) -> None:
    """One item as ``field  value`` lines, or JSON."""
    data = item.to_dict()
    if as_json:
        state.output.json(data)
        return
    width = max(len(name) for name, _ in fields)
    for name, key in fields:
        value = _dig(data, key)
        state.output.text(f"{name.ljust(width)}  {'' if value is None else value}")


_MODEL_COLUMNS = (
    ("OWNER", "owner.name"),
    ("NAME", "name"),
    ("VISIBILITY", "visibility"),
    ("PREDICTIONS", "predictions_count"),
    ("DESCRIPTION", "description"),
)


@cli.group()
def models() -> None:
    """Models and their versions."""


@models.command("list")
@click.option("--owner", default=None, help="Only this user's models.")
@_LIMIT
@json_option
@pass_state
def models_list(state: State, owner: str | None, limit: int, as_json: bool) -> None:
    """Public models (or one owner's)."""
    api = _api(state).models
    found = api.list(limit=limit) if owner is None else api.list_owner(owner, limit=limit)
    _show(state, found, _MODEL_COLUMNS, as_json)


@models.command("get")
@click.argument("model")
@json_option
@pass_state
def models_get(state: State, model: str, as_json: bool) -> None:
    """One model (owner/name)."""
    fields = [
        ("owner", "owner.name"),
        ("name", "name"),
        ("visibility", "visibility"),
        ("description", "description"),
        ("latest", "latest_version.number"),
        ("predictions", "predictions_count"),
        ("created", "created_at"),
    ]
    _one(state, _api(state).models.get(model), fields, as_json)


@models.command("versions")
@click.argument("model")
@_LIMIT
@json_option
@pass_state
def models_versions(state: State, model: str, limit: int, as_json: bool) -> None:
    """A model's versions (owner/name)."""
    found = _api(state).models.versions.list(model, limit=limit)
    columns = (("VERSION", "number"), ("CREATED", "created_at"), ("NOTES", "release_notes"))
    _show(state, found, columns, as_json)


@cli.command()
@_LIMIT
@json_option
@pass_state
def hardware(state: State, limit: int, as_json: bool) -> None:
    """Hardware a model version can run on."""
    columns = (
        ("IDENTIFIER", "identifier"),
        ("NAME", "name"),
        ("GPUS", "gpus"),
        ("VRAM_GB", "vram_gb"),
        ("CPUS", "cpus"),
        ("RAM_GIB", "ram_gib"),
    )
    _show(state, _api(state).hardware.list(limit=limit), columns, as_json)


@cli.command()
@click.argument("query")
@click.option("--users", is_flag=True, help="Search users instead of models.")
@_LIMIT
@json_option
@pass_state
def search(state: State, query: str, users: bool, limit: int, as_json: bool) -> None:
    """Search models (or users) by name."""
    api = _api(state).search
    if users:
        columns = (("NAME", "name"), ("DISPLAY_NAME", "display_name"))
        _show(state, api.users(q=query, limit=limit), columns, as_json)
    else:
        _show(state, api.models(q=query, limit=limit), _MODEL_COLUMNS, as_json)


@cli.command()
@json_option
@pass_state
def whoami(state: State, as_json: bool) -> None:
    """The user the token belongs to."""
    fields = [("name", "name"), ("display_name", "display_name"), ("created", "created_at")]
    _one(state, _api(state).authenticated_user.get(), fields, as_json)


@cli.group()
def variables() -> None:
    """Environment variables for your models (a secret's value is never shown again)."""


_VALUE = click.option(
    "--value",
    metavar="VALUE",
    help="The value; '-' reads it from stdin (keeps a secret out of shell history).",
)


def _read_value(value: str | None) -> str | None:
    if value != "-":
        return value
    text = sys.stdin.read()
    return text.removesuffix("\n")


@variables.command("list")
@_LIMIT
@json_option
@pass_state
def variables_list(state: State, limit: int, as_json: bool) -> None:
    """Your variables."""
    columns = (("NAME", "name"), ("KEY", "key"), ("VALUE", "value"), ("SECRET", "secret"))
    _show(state, _api(state).variables.list(limit=limit), columns, as_json)


@variables.command("create")
@click.argument("name")
@click.option("--key", required=True, help="The environment variable's name in the model.")
@_VALUE
@click.option("--secret", is_flag=True, help="Store it as a secret: never shown again.")
@pass_state
def variables_create(state: State, name: str, key: str, value: str | None, secret: bool) -> None:
    """Create a variable."""
    text = _read_value(value)
    if text is None:
        raise CliError("variables create: --value is required ('-' reads stdin)")
    _api(state).variables.create(name=name, key=key, value=text, secret=secret)
    state.output.text(f"created variable {name}")


@variables.command("update")
@click.argument("name")
@click.option("--key", default=None, help="A new environment variable name.")
@_VALUE
@pass_state
def variables_update(state: State, name: str, key: str | None, value: str | None) -> None:
    """Change a variable's key or value."""
    text = _read_value(value)
    if key is None and text is None:
        raise CliError("variables update: give --key and/or --value")
    _api(state).variables.update(name, key=key, value=text)  # None: leave it unchanged
    state.output.text(f"updated variable {name}")


@variables.command("delete")
@click.argument("name")
@pass_state
def variables_delete(state: State, name: str) -> None:
    """Delete a variable."""
    _api(state).variables.delete(name)
    state.output.text(f"deleted variable {name}")
