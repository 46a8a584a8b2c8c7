"""The command group with every command registered (importing a module adds its commands)."""

from predictkit.cli import _predictions, _resources, _run, _serve  # noqa: F401 - registering
from predictkit.cli._app import cli

__all__ = ["cli"]
