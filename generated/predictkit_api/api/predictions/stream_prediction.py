from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    prediction_id: str,
    *,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    params: dict[str, Any] = {}

    params["after_id"] = after_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/predictions/{prediction_id}/stream".format(
            prediction_id=quote(str(prediction_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | str | None:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[ErrorResponse | HTTPValidationError | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    prediction_id: str,
    *,
    client: AuthenticatedClient | Client,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | str]:
    """Stream a prediction's events

     Server-sent events for one prediction. Every event carries `id:` and `event:` lines and a
    JSON `data:` line (see `PredictionStreamEvent`); lines starting with `:` are keep-alive
    comments. `output` events carry output chunks; `done` and `error` end the stream. If the
    server closes the connection without a terminal event, reconnect with `after_id` set to
    the last event id received: no event is sent twice and none is skipped.

    Args:
        prediction_id (str):
        after_id (str | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | str]
    """

    kwargs = _get_kwargs(
        prediction_id=prediction_id,
        after_id=after_id,
        prefer=prefer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    prediction_id: str,
    *,
    client: AuthenticatedClient | Client,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | str | None:
    """Stream a prediction's events

     Server-sent events for one prediction. Every event carries `id:` and `event:` lines and a
    JSON `data:` line (see `PredictionStreamEvent`); lines starting with `:` are keep-alive
    comments. `output` events carry output chunks; `done` and `error` end the stream. If the
    server closes the connection without a terminal event, reconnect with `after_id` set to
    the last event id received: no event is sent twice and none is skipped.

    Args:
        prediction_id (str):
        after_id (str | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | str
    """

    return sync_detailed(
        prediction_id=prediction_id,
        client=client,
        after_id=after_id,
        prefer=prefer,
    ).parsed


async def asyncio_detailed(
    prediction_id: str,
    *,
    client: AuthenticatedClient | Client,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | str]:
    """Stream a prediction's events

     Server-sent events for one prediction. Every event carries `id:` and `event:` lines and a
    JSON `data:` line (see `PredictionStreamEvent`); lines starting with `:` are keep-alive
    comments. `output` events carry output chunks; `done` and `error` end the stream. If the
    server closes the connection without a terminal event, reconnect with `after_id` set to
    the last event id received: no event is sent twice and none is skipped.

    Args:
        prediction_id (str):
        after_id (str | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | str]
    """

    kwargs = _get_kwargs(
        prediction_id=prediction_id,
        after_id=after_id,
        prefer=prefer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    prediction_id: str,
    *,
    client: AuthenticatedClient | Client,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | str | None:
    """Stream a prediction's events

     Server-sent events for one prediction. Every event carries `id:` and `event:` lines and a
    JSON `data:` line (see `PredictionStreamEvent`); lines starting with `:` are keep-alive
    comments. `output` events carry output chunks; `done` and `error` end the stream. If the
    server closes the connection without a terminal event, reconnect with `after_id` set to
    the last event id received: no event is sent twice and none is skipped.

    Args:
        prediction_id (str):
        after_id (str | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | str
    """

    return (
        await asyncio_detailed(
            prediction_id=prediction_id,
            client=client,
            after_id=after_id,
            prefer=prefer,
        )
    ).parsed


def build_request(
    prediction_id: str,
    *,
    after_id: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> dict[str, Any]:
    """What ``stream_prediction`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        prediction_id=prediction_id,
        after_id=after_id,
        prefer=prefer,
    )


WRITE_ONCE: tuple[str, str, str] | None = None
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
