from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateModelVersionConfigurationRequest")


@_attrs_define
class UpdateModelVersionConfigurationRequest:
    hardware_identifier: str | None = None
    variable_names: list[str] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        hardware_identifier = UNSET if self.hardware_identifier is None else self.hardware_identifier

        _variable_names = UNSET if self.variable_names is None else self.variable_names
        variable_names: list[str] | Unset = UNSET
        if not isinstance(_variable_names, Unset):
            variable_names = _variable_names

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if hardware_identifier is not UNSET:
            field_dict["hardware_identifier"] = hardware_identifier
        if variable_names is not UNSET:
            field_dict["variable_names"] = variable_names
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hardware_identifier = d.pop("hardware_identifier", None)

        variable_names = cast(list[str], d.pop("variable_names", UNSET))

        update_model_version_configuration_request = cls(
            hardware_identifier=hardware_identifier,
            variable_names=None if isinstance(variable_names, Unset) else variable_names,
        )
        if update_model_version_configuration_request.hardware_identifier is None and "hardware_identifier" in src_dict:
            update_model_version_configuration_request._null_keys += ("hardware_identifier",)
        if update_model_version_configuration_request.variable_names is None and "variable_names" in src_dict:
            update_model_version_configuration_request._null_keys += ("variable_names",)

        update_model_version_configuration_request.additional_properties = d
        return update_model_version_configuration_request

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
