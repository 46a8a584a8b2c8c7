"""The command group with every command registered (importing a module adds its commands)."""

import predictkit.cli._predictions
import predictkit.cli._resources
import predictkit.cli._run
import predictkit.cli._serve  # noqa: F401 - imported for the commands they register
from predictkit.cli._app import cli

__all__ = ["cli"]
