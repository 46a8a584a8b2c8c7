from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Hardware")


@_attrs_define
class Hardware:
    name: str
    identifier: str
    gpus: int
    cpus: int
    vram_gb: int
    ram_gib: int
    created_at: datetime.datetime
    description: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        identifier = self.identifier

        gpus = self.gpus

        cpus = self.cpus

        vram_gb = self.vram_gb

        ram_gib = self.ram_gib

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "identifier": identifier,
                "gpus": gpus,
                "cpus": cpus,
                "vram_gb": vram_gb,
                "ram_gib": ram_gib,
                "created_at": created_at,
                "description": description,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        identifier = d.pop("identifier")

        gpus = d.pop("gpus")

        cpus = d.pop("cpus")

        vram_gb = d.pop("vram_gb")

        ram_gib = d.pop("ram_gib")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        hardware = cls(
            name=name,
            identifier=identifier,
            gpus=gpus,
            cpus=cpus,
            vram_gb=vram_gb,
            ram_gib=ram_gib,
            created_at=created_at,
            description=description,
        )

        hardware.additional_properties = d
        return hardware

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
