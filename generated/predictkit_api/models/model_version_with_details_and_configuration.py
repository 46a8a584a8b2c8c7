from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
    container_image_digest: str | None = None
    compatibilities: Compatibilities | None = None
    """ Which vendor-compatible endpoints a version answers. """
    size: int | None = None
    """ Compressed image size in bytes. """
    configuration: ModelVersionConfiguration | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        release_notes = self.release_notes

        created_at = self.created_at.isoformat()

        schemas = self.schemas.to_dict()

        container_image_digest = UNSET if self.container_image_digest is None else self.container_image_digest

        _compatibilities = UNSET if self.compatibilities is None else self.compatibilities
        compatibilities: dict[str, Any] | Unset = UNSET
        if not isinstance(_compatibilities, Unset):
            compatibilities = _compatibilities.to_dict()

        size = UNSET if self.size is None else self.size

        _configuration = UNSET if self.configuration is None else self.configuration
        configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(_configuration, Unset):
            configuration = _configuration.to_dict()

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
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        release_notes = d.pop("release_notes")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        schemas = Schemas.from_dict(d.pop("schemas"))

        container_image_digest = d.pop("container_image_digest", None)

        _compatibilities = d.pop("compatibilities", UNSET)
        compatibilities: Compatibilities | Unset
        if isinstance(_compatibilities, Unset):
            compatibilities = UNSET
        else:
            compatibilities = Compatibilities.from_dict(_compatibilities)

        size = d.pop("size", None)

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
            compatibilities=None if isinstance(compatibilities, Unset) else compatibilities,
            size=size,
            configuration=None if isinstance(configuration, Unset) else configuration,
        )
        if (
            model_version_with_details_and_configuration.container_image_digest is None
            and "container_image_digest" in src_dict
        ):
            model_version_with_details_and_configuration._null_keys += ("container_image_digest",)
        if model_version_with_details_and_configuration.compatibilities is None and "compatibilities" in src_dict:
            model_version_with_details_and_configuration._null_keys += ("compatibilities",)
        if model_version_with_details_and_configuration.size is None and "size" in src_dict:
            model_version_with_details_and_configuration._null_keys += ("size",)
        if model_version_with_details_and_configuration.configuration is None and "configuration" in src_dict:
            model_version_with_details_and_configuration._null_keys += ("configuration",)

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


# predictkit override: the models this one refers to are imported here, at the end, rather than
# inside each method: an import statement costs about a microsecond per call, per nested model
# (a page of 50 paid it 50 times). At the end, not the top, because models may refer to each
# other in a cycle: by now this module's class exists for the other module to import.
from ..models.compatibilities import Compatibilities  # noqa: E402
from ..models.model_version_configuration import ModelVersionConfiguration  # noqa: E402
from ..models.schemas import Schemas  # noqa: E402
