from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..types import UNSET

T = TypeVar("T", bound="Prediction")


@_attrs_define
class Prediction:
    """A prediction as listed."""

    id: str
    """ Unique identifier (a UUID). """
    model: PredictionModel
    """ The model version a prediction runs on. """
    created_at: datetime.datetime
    status: PredictionStatus
    """ Where a prediction is in its lifecycle. `succeeded`, `failed`, `cancelled` and `abandoned`
    are terminal; clients must treat a status they do not know as not terminal.
     """
    updated_at: datetime.datetime
    setup_time: None | str
    """ Time spent setting up. """
    execution_time: None | str
    """ Time spent running. """
    url: str | None = None
    """ Legacy; removed from responses on 2025-03-18 (use the `Location` header). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        model = self.model.to_dict()

        created_at = self.created_at.isoformat()

        status: str = self.status

        updated_at = self.updated_at.isoformat()

        setup_time: None | str
        setup_time = self.setup_time

        execution_time: None | str
        execution_time = self.execution_time

        url = UNSET if self.url is None else self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "created_at": created_at,
                "status": status,
                "updated_at": updated_at,
                "setup_time": setup_time,
                "execution_time": execution_time,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        model = PredictionModel.from_dict(d.pop("model"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        status = check_prediction_status(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        setup_time = d.pop("setup_time")

        execution_time = d.pop("execution_time")

        url = d.pop("url", None)

        prediction = cls(
            id=id,
            model=model,
            created_at=created_at,
            status=status,
            updated_at=updated_at,
            setup_time=setup_time,
            execution_time=execution_time,
            url=url,
        )
        if prediction.url is None and "url" in src_dict:
            prediction._null_keys += ("url",)

        prediction.additional_properties = d
        return prediction

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


# predictkit override: the models this one refers to are imported here, at the end, rather than
# inside each method: an import statement costs about a microsecond per call, per nested model
# (a page of 50 paid it 50 times). At the end, not the top, because models may refer to each
# other in a cycle: by now this module's class exists for the other module to import.
from ..models.prediction_model import PredictionModel  # noqa: E402
