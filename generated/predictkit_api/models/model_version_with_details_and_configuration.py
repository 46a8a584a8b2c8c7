from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.compatibilities import Compatibilities
    from ..models.model_version_configuration import ModelVersionConfiguration
    from ..models.schemas import Schemas


T = TypeVar("T", bound="ModelVersionWithDetailsAndConfiguration")


@_attrs_define
class ModelVersionWithDetailsAndConfiguration:
    """The create-version answer. The official client reads `configuration`; the API reference's sample lacks it (number,
    release_notes, created_at, container_image_digest, schemas only), so it is optional here.

    """

    number: int
    release_notes: str
    created_at: datetime.datetime
    schemas: Schemas
    container_image_digest: str | Unset = UNSET
    compatibilities: Compatibilities | Unset = UNSET
    """ Which vendor-compatible endpoints a version answers. """
    size: int | Unset = UNSET
    """ Compressed image size in bytes. """
    configuration: ModelVersionConfiguration | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        release_notes = self.release_notes

        created_at = self.created_at.isoformat()

        schemas = self.schemas.to_dict()

        container_image_digest = self.container_image_digest

        compatibilities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.compatibilities, Unset):
            compatibilities = self.compatibilities.to_dict()

        size = self.size

        configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.configuration, Unset):
            configuration = self.configuration.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "release_notes": release_notes,
                "created_at": created_at,
                "schemas": schemas,
            }
        )
        if container_image_digest is not UNSET:
            field_dict["container_image_digest"] = container_image_digest
        if compatibilities is not UNSET:
            field_dict["compatibilities"] = compatibilities
        if size is not UNSET:
            field_dict["size"] = size
        if configuration is not UNSET:
            field_dict["configuration"] = configuration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compatibilities import Compatibilities  # noqa: PLC0415
        from ..models.model_version_configuration import ModelVersionConfiguration  # noqa: PLC0415
        from ..models.schemas import Schemas  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number")

        release_notes = d.pop("release_notes")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        schemas = Schemas.from_dict(d.pop("schemas"))

        container_image_digest = d.pop("container_image_digest", UNSET)

        _compatibilities = d.pop("compatibilities", UNSET)
        compatibilities: Compatibilities | Unset
        if isinstance(_compatibilities, Unset):
            compatibilities = UNSET
        else:
            compatibilities = Compatibilities.from_dict(_compatibilities)

        size = d.pop("size", UNSET)

        _configuration = d.pop("configuration", UNSET)
        configuration: ModelVersionConfiguration | Unset
        if isinstance(_configuration, Unset):
            configuration = UNSET
        else:
            configuration = ModelVersionConfiguration.from_dict(_configuration)

        model_version_with_details_and_configuration = cls(
            number=number,
            release_notes=release_notes,
            created_at=created_at,
            schemas=schemas,
            container_image_digest=container_image_digest,
            compatibilities=compatibilities,
            size=size,
            configuration=configuration,
        )

        model_version_with_details_and_configuration.additional_properties = d
        return model_version_with_details_and_configuration

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
