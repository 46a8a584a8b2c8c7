from typing import Literal, cast

ModelVisibility = Literal["private", "public", "restricted"]

MODEL_VISIBILITY_VALUES: set[ModelVisibility] = {
    "private",
    "public",
    "restricted",
}


def check_model_visibility(value: str) -> ModelVisibility:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``MODEL_VISIBILITY_VALUES`` to tell known values apart.
    """
    return cast(ModelVisibility, value)
