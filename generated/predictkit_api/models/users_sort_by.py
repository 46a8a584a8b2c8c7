from typing import Literal, cast

UsersSortBy = Literal["created_at"]

USERS_SORT_BY_VALUES: frozenset[UsersSortBy] = frozenset(
    {
        "created_at",
    }
)


def check_users_sort_by(value: str) -> UsersSortBy:
    """Return ``value`` unchanged when it has the enum's type, known value or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. A value of the wrong type (null, a
    number) still raises TypeError. Compare against ``USERS_SORT_BY_VALUES``
    to tell known values apart.
    """
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}: {value!r}")
    return cast(UsersSortBy, value)
