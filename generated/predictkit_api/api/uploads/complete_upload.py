from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_upload_request import CompleteUploadRequest
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.upload_completion_result import UploadCompletionResult
from ...types import Response


def _get_kwargs(
    upload_id: str,
    *,
    body: CompleteUploadRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/uploads/{upload_id}/complete".format(
            upload_id=quote(str(upload_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | UploadCompletionResult | None:
    if response.status_code == 200:
        response_200 = UploadCompletionResult.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | HTTPValidationError | UploadCompletionResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    upload_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteUploadRequest,
) -> Response[ErrorResponse | HTTPValidationError | UploadCompletionResult]:
    """Complete a multipart upload

    Args:
        upload_id (str):
        body (CompleteUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UploadCompletionResult]
    """

    kwargs = _get_kwargs(
        upload_id=upload_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upload_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteUploadRequest,
) -> ErrorResponse | HTTPValidationError | UploadCompletionResult | None:
    """Complete a multipart upload

    Args:
        upload_id (str):
        body (CompleteUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UploadCompletionResult
    """

    return sync_detailed(
        upload_id=upload_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    upload_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteUploadRequest,
) -> Response[ErrorResponse | HTTPValidationError | UploadCompletionResult]:
    """Complete a multipart upload

    Args:
        upload_id (str):
        body (CompleteUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UploadCompletionResult]
    """

    kwargs = _get_kwargs(
        upload_id=upload_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upload_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteUploadRequest,
) -> ErrorResponse | HTTPValidationError | UploadCompletionResult | None:
    """Complete a multipart upload

    Args:
        upload_id (str):
        body (CompleteUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UploadCompletionResult
    """

    return (
        await asyncio_detailed(
            upload_id=upload_id,
            client=client,
            body=body,
        )
    ).parsed


def build_request(
    upload_id: str,
    *,
    body: CompleteUploadRequest,
) -> dict[str, Any]:
    """What ``complete_upload`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        upload_id=upload_id,
        body=body,
    )


def parse(data: Any) -> UploadCompletionResult:
    """The decoded JSON of a 200 response to ``complete_upload``, as its model.
    Raises KeyError, TypeError or ValueError when it does not match the spec."""
    response_200 = UploadCompletionResult.from_dict(data)

    return response_200


PAGED = False
"""Whether the response is one page of a cursor-paged list (``cursor`` in, ``next_cursor`` out)."""

WRITE_ONCE: tuple[str, str, str] | None = ("its result", "doing it twice", "check whether it took effect")
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
