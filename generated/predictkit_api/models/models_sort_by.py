from typing import Literal, cast

ModelsSortBy = Literal["created_at", "predictions_count"]

MODELS_SORT_BY_VALUES: set[ModelsSortBy] = {
    "created_at",
    "predictions_count",
}


def check_models_sort_by(value: str) -> ModelsSortBy:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``MODELS_SORT_BY_VALUES`` to tell known values apart.
    """
    return cast(ModelsSortBy, value)
