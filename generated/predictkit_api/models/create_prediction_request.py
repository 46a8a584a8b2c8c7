from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="CreatePredictionRequest")


@_attrs_define
class CreatePredictionRequest:
    """Body of `POST /predictions`."""

    input_: CreateModelPredictionRequestInput
    """ The input, shaped by the version's input schema. """
    model: str
    """ `owner/name` (latest version) or `owner/name:version_number`. """
    webhook: None | Webhook = OMITTED
    stream: bool | None = False
    """ With a `Prefer` header, answer with the event stream instead of JSON. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.webhook is OMITTED:
            self.webhook = None
        elif self.webhook is None:
            self._null_keys += ("webhook",)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

        model = self.model

        _webhook = UNSET if self.webhook is None and "webhook" not in self._null_keys else self.webhook
        webhook: dict[str, Any] | None | Unset
        if isinstance(_webhook, Unset):
            webhook = UNSET
        elif isinstance(_webhook, Webhook):
            webhook = _webhook.to_dict()
        else:
            webhook = _webhook

        stream = UNSET if self.stream is None else self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
                "model": model,
            }
        )
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if stream is not UNSET:
            field_dict["stream"] = stream
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_ = CreateModelPredictionRequestInput.from_dict(d.pop("input"))

        model = d.pop("model")

        def _parse_webhook(data: object) -> None | Unset | Webhook:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_0 = Webhook.from_dict(data)

                return webhook_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Webhook, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        stream = d.pop("stream", None)

        create_prediction_request = cls(
            input_=input_,
            model=model,
            webhook=cast(Any, webhook),
            stream=stream,
        )
        if create_prediction_request.stream is None and "stream" in src_dict:
            create_prediction_request._null_keys += ("stream",)

        create_prediction_request.additional_properties = d
        return create_prediction_request

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
from ..models.create_model_prediction_request_input import CreateModelPredictionRequestInput  # noqa: E402
from ..models.webhook import Webhook  # noqa: E402
