"""A client library for accessing WriftAI API"""

# predictkit override: the stock Client classes load on first use (PEP 562), not with the
# package: predictkit sends through its own Transport and never uses them, so `import
# predictkit` should not pay for them.
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
