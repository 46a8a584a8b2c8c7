"""predictkit: a typed Python client for the WriftAI prediction API."""

from predictkit._version import __version__

__all__ = ["__version__"]
