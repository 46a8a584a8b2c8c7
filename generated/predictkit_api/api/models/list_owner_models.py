from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.model_list import ModelList
from ...models.models_sort_by import ModelsSortBy
from ...models.sort_direction import SortDirection
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_owner: str,
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by

    params["sort_by"] = json_sort_by

    json_sort_direction: str | Unset = UNSET
    if not isinstance(sort_direction, Unset):
        json_sort_direction = sort_direction

    params["sort_direction"] = json_sort_direction

    json_category_slugs: list[str] | Unset = UNSET
    if not isinstance(category_slugs, Unset):
        json_category_slugs = category_slugs

    params["category_slugs"] = json_category_slugs

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models/{model_owner}".format(
            model_owner=quote(str(model_owner), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | ModelList | None:
    if response.status_code == 200:
        response_200 = ModelList.from_dict(response.json())

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
) -> Response[ErrorResponse | HTTPValidationError | ModelList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | ModelList]:
    """List a user's public models

    Args:
        model_owner (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 25.
        sort_by (ModelsSortBy | Unset):
        sort_direction (SortDirection | Unset):
        category_slugs (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ModelList]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        cursor=cursor,
        page_size=page_size,
        sort_by=sort_by,
        sort_direction=sort_direction,
        category_slugs=category_slugs,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | ModelList | None:
    """List a user's public models

    Args:
        model_owner (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 25.
        sort_by (ModelsSortBy | Unset):
        sort_direction (SortDirection | Unset):
        category_slugs (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ModelList
    """

    return sync_detailed(
        model_owner=model_owner,
        client=client,
        cursor=cursor,
        page_size=page_size,
        sort_by=sort_by,
        sort_direction=sort_direction,
        category_slugs=category_slugs,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | ModelList]:
    """List a user's public models

    Args:
        model_owner (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 25.
        sort_by (ModelsSortBy | Unset):
        sort_direction (SortDirection | Unset):
        category_slugs (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ModelList]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        cursor=cursor,
        page_size=page_size,
        sort_by=sort_by,
        sort_direction=sort_direction,
        category_slugs=category_slugs,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | ModelList | None:
    """List a user's public models

    Args:
        model_owner (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 25.
        sort_by (ModelsSortBy | Unset):
        sort_direction (SortDirection | Unset):
        category_slugs (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ModelList
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            client=client,
            cursor=cursor,
            page_size=page_size,
            sort_by=sort_by,
            sort_direction=sort_direction,
            category_slugs=category_slugs,
        )
    ).parsed


def build_request(
    model_owner: str,
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 25,
    sort_by: ModelsSortBy | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    category_slugs: list[str] | Unset = UNSET,
) -> dict[str, Any]:
    """What ``list_owner_models`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        model_owner=model_owner,
        cursor=cursor,
        page_size=page_size,
        sort_by=sort_by,
        sort_direction=sort_direction,
        category_slugs=category_slugs,
    )


def parse(data: Any) -> ModelList:
    """The decoded JSON of a 200 response to ``list_owner_models``, as its model.
    Raises KeyError, TypeError or ValueError when it does not match the spec."""
    response_200 = ModelList.from_dict(data)

    return response_200


PAGED = True
"""Whether the response is one page of a cursor-paged list (``cursor`` in, ``next_cursor`` out)."""

WRITE_ONCE: tuple[str, str, str] | None = None
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
