from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelVersionConfiguration")


@_attrs_define
class ModelVersionConfiguration:
    hardware_identifier: str
    variable_names: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hardware_identifier = self.hardware_identifier

        variable_names = self.variable_names

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hardware_identifier": hardware_identifier,
                "variable_names": variable_names,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hardware_identifier = d.pop("hardware_identifier")

        variable_names = cast(list[str], d.pop("variable_names"))

        model_version_configuration = cls(
            hardware_identifier=hardware_identifier,
            variable_names=variable_names,
        )

        model_version_configuration.additional_properties = d
        return model_version_configuration

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
