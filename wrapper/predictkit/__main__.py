"""``python -m predictkit``: the command line (needs the ``cli`` extra)."""

from predictkit.cli._main import main

main()
