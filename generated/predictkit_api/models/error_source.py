from typing import Literal, cast

ErrorSource = Literal["external", "internal"]

ERROR_SOURCE_VALUES: set[ErrorSource] = {
    "external",
    "internal",
}


def check_error_source(value: str) -> ErrorSource:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``ERROR_SOURCE_VALUES`` to tell known values apart.
    """
    return cast(ErrorSource, value)
