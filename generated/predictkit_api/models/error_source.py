from typing import Literal, cast

ErrorSource = Literal["external", "internal"]

ERROR_SOURCE_VALUES: frozenset[ErrorSource] = frozenset(
    {
        "external",
        "internal",
    }
)


def check_error_source(value: str) -> ErrorSource:
    """Return ``value`` unchanged when it has the enum's type, known value or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. A value of the wrong type (null, a
    number) still raises TypeError. Compare against ``ERROR_SOURCE_VALUES``
    to tell known values apart.
    """
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}: {value!r}")
    return cast(ErrorSource, value)
