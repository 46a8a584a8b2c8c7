from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateModelVersionRequest")


@_attrs_define
class CreateModelVersionRequest:
    release_notes: str
    schemas: Schemas
    container_image_digest: str
    compatibilities: Compatibilities | None = None
    """ Which vendor-compatible endpoints a version answers. """
    configuration: ModelVersionConfiguration | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        release_notes = self.release_notes

        schemas = self.schemas.to_dict()

        container_image_digest = self.container_image_digest

        _compatibilities = UNSET if self.compatibilities is None else self.compatibilities
        compatibilities: dict[str, Any] | Unset = UNSET
        if not isinstance(_compatibilities, Unset):
            compatibilities = _compatibilities.to_dict()

        _configuration = UNSET if self.configuration is None else self.configuration
        configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(_configuration, Unset):
            configuration = _configuration.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "release_notes": release_notes,
                "schemas": schemas,
                "container_image_digest": container_image_digest,
            }
        )
        if compatibilities is not UNSET:
            field_dict["compatibilities"] = compatibilities
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        release_notes = d.pop("release_notes")

        schemas = Schemas.from_dict(d.pop("schemas"))

        container_image_digest = d.pop("container_image_digest")

        _compatibilities = d.pop("compatibilities", UNSET)
        compatibilities: Compatibilities | Unset
        if isinstance(_compatibilities, Unset):
            compatibilities = UNSET
        else:
            compatibilities = Compatibilities.from_dict(_compatibilities)

        _configuration = d.pop("configuration", UNSET)
        configuration: ModelVersionConfiguration | Unset
        if isinstance(_configuration, Unset):
            configuration = UNSET
        else:
            configuration = ModelVersionConfiguration.from_dict(_configuration)

        create_model_version_request = cls(
            release_notes=release_notes,
            schemas=schemas,
            container_image_digest=container_image_digest,
            compatibilities=None if isinstance(compatibilities, Unset) else compatibilities,
            configuration=None if isinstance(configuration, Unset) else configuration,
        )
        if create_model_version_request.compatibilities is None and "compatibilities" in src_dict:
            create_model_version_request._null_keys += ("compatibilities",)
        if create_model_version_request.configuration is None and "configuration" in src_dict:
            create_model_version_request._null_keys += ("configuration",)

        create_model_version_request.additional_properties = d
        return create_model_version_request

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
