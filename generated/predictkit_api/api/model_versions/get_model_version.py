from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.model_version_with_details import ModelVersionWithDetails
from ...types import Response


def _get_kwargs(
    model_owner: str,
    model_name: str,
    number: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models/{model_owner}/{model_name}/versions/{number}".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | ModelVersionWithDetails | None:
    if response.status_code == 200:
        response_200 = ModelVersionWithDetails.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | HTTPValidationError | ModelVersionWithDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    model_name: str,
    number: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | HTTPValidationError | ModelVersionWithDetails]:
    """Get a model version

    Args:
        model_owner (str):
        model_name (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ModelVersionWithDetails]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        number=number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    model_name: str,
    number: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | HTTPValidationError | ModelVersionWithDetails | None:
    """Get a model version

    Args:
        model_owner (str):
        model_name (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ModelVersionWithDetails
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        number=number,
        client=client,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    number: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | HTTPValidationError | ModelVersionWithDetails]:
    """Get a model version

    Args:
        model_owner (str):
        model_name (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ModelVersionWithDetails]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        number=number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    number: int,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | HTTPValidationError | ModelVersionWithDetails | None:
    """Get a model version

    Args:
        model_owner (str):
        model_name (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ModelVersionWithDetails
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            number=number,
            client=client,
        )
    ).parsed


def build_request(
    model_owner: str,
    model_name: str,
    number: int,
) -> dict[str, Any]:
    """What ``get_model_version`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        number=number,
    )


def parse(data: Any) -> ModelVersionWithDetails:
    """The decoded JSON of a 200 response to ``get_model_version``, as its model.
    Raises KeyError, TypeError or ValueError when it does not match the spec."""
    response_200 = ModelVersionWithDetails.from_dict(data)

    return response_200


PAGED = False
"""Whether the response is one page of a cursor-paged list (``cursor`` in, ``next_cursor`` out)."""

WRITE_ONCE: tuple[str, str, str] | None = None
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
