from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET

T = TypeVar("T", bound="ModelVersion")


@_attrs_define
class ModelVersion:
    number: int
    release_notes: str
    created_at: datetime.datetime
    container_image_digest: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        release_notes = self.release_notes

        created_at = self.created_at.isoformat()

        container_image_digest = UNSET if self.container_image_digest is None else self.container_image_digest

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "release_notes": release_notes,
                "created_at": created_at,
            }
        )
        if container_image_digest is not UNSET:
            field_dict["container_image_digest"] = container_image_digest
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        release_notes = d.pop("release_notes")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        container_image_digest = d.pop("container_image_digest", None)

        model_version = cls(
            number=number,
            release_notes=release_notes,
            created_at=created_at,
            container_image_digest=container_image_digest,
        )
        if model_version.container_image_digest is None and "container_image_digest" in src_dict:
            model_version._null_keys += ("container_image_digest",)

        model_version.additional_properties = d
        return model_version

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
