from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="CreateModelPredictionRequest")


@_attrs_define
class CreateModelPredictionRequest:
    """Body of the model-scoped create routes."""

    input_: CreateModelPredictionRequestInput
    """ The input, shaped by the version's input schema. """
    webhook: None | Webhook = OMITTED
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

        _webhook = UNSET if self.webhook is None and "webhook" not in self._null_keys else self.webhook
        webhook: dict[str, Any] | None | Unset
        if isinstance(_webhook, Unset):
            webhook = UNSET
        elif isinstance(_webhook, Webhook):
            webhook = _webhook.to_dict()
        else:
            webhook = _webhook

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
            }
        )
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_ = CreateModelPredictionRequestInput.from_dict(d.pop("input"))

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

        create_model_prediction_request = cls(
            input_=input_,
            webhook=cast(Any, webhook),
        )

        create_model_prediction_request.additional_properties = d
        return create_model_prediction_request

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
