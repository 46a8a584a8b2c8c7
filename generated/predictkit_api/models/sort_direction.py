from typing import Literal, cast

SortDirection = Literal["asc", "desc"]

SORT_DIRECTION_VALUES: set[SortDirection] = {
    "asc",
    "desc",
}


def check_sort_direction(value: str) -> SortDirection:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``SORT_DIRECTION_VALUES`` to tell known values apart.
    """
    return cast(SortDirection, value)
