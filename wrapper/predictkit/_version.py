"""The one place the package version is written (read by hatchling and by the User-Agent)."""

__version__ = "0.1.0"
