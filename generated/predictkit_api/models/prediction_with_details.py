from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="PredictionWithDetails")


@_attrs_define
class PredictionWithDetails:
    """A prediction with its input, output and error, as get, create and webhooks send it."""

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
    input_: Any
    """ The input object; null once the retention window has passed. Left untyped so clients get plain JSON. """
    output: Any
    """ The output, any JSON value; null until the prediction succeeds. """
    error: None | TaskError
    """ Why the prediction failed, or null. """
    url: str | None = None
    """ Legacy; removed from responses on 2025-03-18 (use the `Location` header). """
    metrics: Any = OMITTED
    """ Run metrics (an object), or null when not known. Left untyped so clients get plain JSON. """
    stream: bool | None = None
    """ Whether the prediction's event stream can still be read. """
    logs: list[str] | None = None
    """ Legacy; shown only on an older reference page. """
    setup_logs: list[str] | None = None
    """ Legacy; shown only on an older reference page. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.metrics is OMITTED:
            self.metrics = None
        elif self.metrics is None:
            self._null_keys += ("metrics",)

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

        input_ = self.input_

        output = self.output

        error: dict[str, Any] | None
        if isinstance(self.error, TaskError):
            error = self.error.to_dict()
        else:
            error = self.error

        url = UNSET if self.url is None else self.url

        metrics = UNSET if self.metrics is None and "metrics" not in self._null_keys else self.metrics

        stream = UNSET if self.stream is None else self.stream

        _logs = UNSET if self.logs is None else self.logs
        logs: list[str] | Unset = UNSET
        if not isinstance(_logs, Unset):
            logs = _logs

        _setup_logs = UNSET if self.setup_logs is None else self.setup_logs
        setup_logs: list[str] | Unset = UNSET
        if not isinstance(_setup_logs, Unset):
            setup_logs = _setup_logs

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
                "input": input_,
                "output": output,
                "error": error,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if stream is not UNSET:
            field_dict["stream"] = stream
        if logs is not UNSET:
            field_dict["logs"] = logs
        if setup_logs is not UNSET:
            field_dict["setup_logs"] = setup_logs
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

        input_ = d.pop("input")

        output = d.pop("output")

        def _parse_error(data: object) -> None | TaskError:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = TaskError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskError, data)

        error = _parse_error(d.pop("error"))

        url = d.pop("url", None)

        metrics = d.pop("metrics", UNSET)

        stream = d.pop("stream", None)

        logs = cast(list[str], d.pop("logs", UNSET))

        setup_logs = cast(list[str], d.pop("setup_logs", UNSET))

        prediction_with_details = cls(
            id=id,
            model=model,
            created_at=created_at,
            status=status,
            updated_at=updated_at,
            setup_time=setup_time,
            execution_time=execution_time,
            input_=input_,
            output=output,
            error=error,
            url=url,
            metrics=metrics,
            stream=stream,
            logs=None if isinstance(logs, Unset) else logs,
            setup_logs=None if isinstance(setup_logs, Unset) else setup_logs,
        )
        if prediction_with_details.url is None and "url" in src_dict:
            prediction_with_details._null_keys += ("url",)
        if prediction_with_details.stream is None and "stream" in src_dict:
            prediction_with_details._null_keys += ("stream",)
        if prediction_with_details.logs is None and "logs" in src_dict:
            prediction_with_details._null_keys += ("logs",)
        if prediction_with_details.setup_logs is None and "setup_logs" in src_dict:
            prediction_with_details._null_keys += ("setup_logs",)

        prediction_with_details.additional_properties = d
        return prediction_with_details

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
from ..models.task_error import TaskError  # noqa: E402
