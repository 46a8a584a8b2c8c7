from typing import Literal, cast

UsersSortBy = Literal["created_at"]

USERS_SORT_BY_VALUES: set[UsersSortBy] = {
    "created_at",
}


def check_users_sort_by(value: str) -> UsersSortBy:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``USERS_SORT_BY_VALUES`` to tell known values apart.
    """
    return cast(UsersSortBy, value)
