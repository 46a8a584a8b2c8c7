"""Reading a page of ``client.predictions.list``: its cursors and URLs at once, its items
parsed (and bound to the client) only when reached."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from predictkit_api.models.prediction_list import PredictionList

from predictkit._error_map import parse_body, parse_data
from predictkit._prediction import ListedPrediction
from predictkit.pagination import Unparsed

if TYPE_CHECKING:
    from predictkit._client import Client

PageFields = tuple[Unparsed[ListedPrediction], str | None, str | None, str | None, str | None]


def _split_page(data: dict[str, Any]) -> tuple[list[Any], PredictionList]:
    """A page's items, unread, and its other fields read by the generated model (which also
    judges an ``items`` that is not a list: it refuses any but an empty one)."""
    items = data["items"]
    if not isinstance(items, list):
        return [], PredictionList.from_dict(data)
    return items, PredictionList.from_dict({**data, "items": []})


def page_reader(client: Client) -> Callable[[httpx.Response], PageFields]:
    """Reads a page's fields; its items are parsed (and bound to ``client``) only when
    reached."""

    def page(response: httpx.Response) -> PageFields:
        raw, data = parse_body(response, _split_page)

        def item(each: object) -> ListedPrediction:
            listed = parse_data(response, each, ListedPrediction.from_dict)
            listed._client = client
            return listed

        return (
            Unparsed(raw, item),
            data.next_cursor,
            data.previous_cursor,
            _url(data.next_url),
            _url(data.previous_url),
        )

    return page


def _url(value: object) -> str | None:
    return value if isinstance(value, str) else None
