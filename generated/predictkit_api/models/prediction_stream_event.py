from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_stream_event_type import PredictionStreamEventType, check_prediction_stream_event_type

T = TypeVar("T", bound="PredictionStreamEvent")


@_attrs_define
class PredictionStreamEvent:
    """One server-sent event of a prediction stream, as its three fields."""

    id: str
    """ Event id; pass it as `after_id` to resume after it. """
    event: PredictionStreamEventType
    """ Event names of a prediction stream; `done` and `error` are terminal. """
    data: Any
    """ JSON payload: `init` carries the prediction (with `id`), `output` a chunk, `error` the task error. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event: str = self.event

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event": event,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event = check_prediction_stream_event_type(d.pop("event"))

        data = d.pop("data")

        prediction_stream_event = cls(
            id=id,
            event=event,
            data=data,
        )

        prediction_stream_event.additional_properties = d
        return prediction_stream_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
