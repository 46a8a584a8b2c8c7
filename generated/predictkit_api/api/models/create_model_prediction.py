from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_model_prediction_request import CreateModelPredictionRequest
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.prediction_with_details import PredictionWithDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_owner: str,
    model_name: str,
    *,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    if not isinstance(validate_input, Unset):
        headers["Validate-Input"] = "true" if validate_input else "false"

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{model_owner}/{model_name}/predictions".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | PredictionWithDetails | None:
    if response.status_code == 200:
        response_200 = PredictionWithDetails.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = PredictionWithDetails.from_dict(response.json())

        return response_201

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

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | HTTPValidationError | PredictionWithDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> Response[ErrorResponse | HTTPValidationError | PredictionWithDetails]:
    """Create a prediction on a model's latest version

    Args:
        model_owner (str):
        model_name (str):
        prefer (str | Unset):
        validate_input (bool | Unset):  Default: False.
        body (CreateModelPredictionRequest): Body of the model-scoped create routes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | PredictionWithDetails]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
        prefer=prefer,
        validate_input=validate_input,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> ErrorResponse | HTTPValidationError | PredictionWithDetails | None:
    """Create a prediction on a model's latest version

    Args:
        model_owner (str):
        model_name (str):
        prefer (str | Unset):
        validate_input (bool | Unset):  Default: False.
        body (CreateModelPredictionRequest): Body of the model-scoped create routes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | PredictionWithDetails
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        client=client,
        body=body,
        prefer=prefer,
        validate_input=validate_input,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> Response[ErrorResponse | HTTPValidationError | PredictionWithDetails]:
    """Create a prediction on a model's latest version

    Args:
        model_owner (str):
        model_name (str):
        prefer (str | Unset):
        validate_input (bool | Unset):  Default: False.
        body (CreateModelPredictionRequest): Body of the model-scoped create routes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | PredictionWithDetails]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
        prefer=prefer,
        validate_input=validate_input,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> ErrorResponse | HTTPValidationError | PredictionWithDetails | None:
    """Create a prediction on a model's latest version

    Args:
        model_owner (str):
        model_name (str):
        prefer (str | Unset):
        validate_input (bool | Unset):  Default: False.
        body (CreateModelPredictionRequest): Body of the model-scoped create routes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | PredictionWithDetails
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            client=client,
            body=body,
            prefer=prefer,
            validate_input=validate_input,
        )
    ).parsed


def build_request(
    model_owner: str,
    model_name: str,
    *,
    body: CreateModelPredictionRequest,
    prefer: str | Unset = UNSET,
    validate_input: bool | Unset = False,
) -> dict[str, Any]:
    """What ``create_model_prediction`` sends: ``method``, ``url`` (relative to the API base URL), and
    ``params``/``headers``/``json`` when it has them. Pure: no I/O."""
    return _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
        prefer=prefer,
        validate_input=validate_input,
    )


def parse(data: Any) -> PredictionWithDetails:
    """The decoded JSON of a 200 response to ``create_model_prediction``, as its model.
    Raises KeyError, TypeError or ValueError when it does not match the spec."""
    response_200 = PredictionWithDetails.from_dict(data)

    return response_200


PAGED = False
"""Whether the response is one page of a cursor-paged list (``cursor`` in, ``next_cursor`` out)."""

WRITE_ONCE: tuple[str, str, str] | None = (
    "a prediction",
    "running it twice",
    "check client.predictions.list() (newest first)",
)
"""For a write that may not be repeated: what may have been created, what repeating it risks,
how to check. None: the call may be retried."""
