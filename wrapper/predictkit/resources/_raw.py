"""``client.predictions.with_raw_response``: the handwritten predictions calls, each returning
a RawResponse, through the same ``Binding`` raw views the generated resources use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from predictkit.resources._binding import Binding

if TYPE_CHECKING:
    from predictkit.resources.predictions import Predictions


class PredictionsWithRawResponse:
    """``client.predictions.with_raw_response``: get, create, list and cancel (and their
    ``async_`` twins), each returning a RawResponse: ``.headers`` (x-request-id,
    x-ratelimit-remaining...), ``.status_code`` and ``.parsed``. For a create that waits, the
    response is the last one read."""

    def __init__(self, predictions: Predictions) -> None:
        binding = Binding(predictions._api)
        self.get = binding.raw(predictions.get)
        self.async_get = binding.async_raw(predictions.async_get)
        self.create = binding.raw(predictions.create)
        self.async_create = binding.async_raw(predictions.async_create)
        self.list = binding.raw(predictions.list)
        self.async_list = binding.async_raw_pages(predictions.async_list)
        self.cancel = binding.raw(predictions.cancel)
        self.async_cancel = binding.async_raw(predictions.async_cancel)
