from typing import Literal, cast

ModelVisibility = Literal["private", "public", "restricted"]

MODEL_VISIBILITY_VALUES: frozenset[ModelVisibility] = frozenset(
    {
        "private",
        "public",
        "restricted",
    }
)


def check_model_visibility(value: str) -> ModelVisibility:
    """Return ``value`` unchanged when it has the enum's type, known value or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. A value of the wrong type (null, a
    number) still raises TypeError. Compare against ``MODEL_VISIBILITY_VALUES``
    to tell known values apart.
    """
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}: {value!r}")
    return cast(ModelVisibility, value)
