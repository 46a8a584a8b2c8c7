from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.update_user_request import UpdateUserRequest
from ...models.user_with_details import UserWithDetails
from ...types import Response


def _get_kwargs(
    *,
    body: UpdateUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/user",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | UserWithDetails | None:
    if response.status_code == 200:
        response_200 = UserWithDetails.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | HTTPValidationError | UserWithDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateUserRequest,
) -> Response[ErrorResponse | HTTPValidationError | UserWithDetails]:
    """Update the authenticated user

     Partial update; only the keys sent change.

    Args:
        body (UpdateUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UserWithDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateUserRequest,
) -> ErrorResponse | HTTPValidationError | UserWithDetails | None:
    """Update the authenticated user

     Partial update; only the keys sent change.

    Args:
        body (UpdateUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UserWithDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateUserRequest,
) -> Response[ErrorResponse | HTTPValidationError | UserWithDetails]:
    """Update the authenticated user

     Partial update; only the keys sent change.

    Args:
        body (UpdateUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UserWithDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateUserRequest,
) -> ErrorResponse | HTTPValidationError | UserWithDetails | None:
    """Update the authenticated user

     Partial update; only the keys sent change.

    Args:
        body (UpdateUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UserWithDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed


def build_request(
    *,
    body: UpdateUserRequest,
) -> dict[str, Any]:
    """What ``update_authenticated_user`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        body=body,
    )


def parse(data: Any) -> UserWithDetails:
    """The decoded JSON of a 200 response to ``update_authenticated_user``, as its model.
    Raises KeyError, TypeError or ValueError when it does not match the spec."""
    response_200 = UserWithDetails.from_dict(data)

    return response_200


PAGED = False
"""Whether the response is one page of a cursor-paged list (``cursor`` in, ``next_cursor`` out)."""

WRITE_ONCE: tuple[str, str, str] | None = None
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
