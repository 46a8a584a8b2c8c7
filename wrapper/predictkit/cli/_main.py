"""The entry point: run the CLI, or say which extra to install when click or rich is missing."""

from __future__ import annotations

import sys

__all__ = ["main"]

_MISSING = "The predictkit command line needs the 'cli' extra: pip install 'predictkit[cli]' ({})\n"


def main() -> None:
    """Run the CLI; exit with its code."""
    try:
        from predictkit.cli._commands import cli  # noqa: PLC0415 - click/rich only when run
    except ImportError as exc:
        if exc.name not in {"click", "rich"}:
            raise
        sys.stderr.write(_MISSING.format(exc))
        sys.exit(1)
    cli(prog_name="predictkit")
