from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_visibility import ModelVisibility, check_model_visibility
from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="ModelWithDetails")


@_attrs_define
class ModelWithDetails:
    id: str
    name: str
    created_at: datetime.datetime
    visibility: ModelVisibility
    description: None | str
    updated_at: datetime.datetime | None
    owner: BaseUser
    """ A model's owner. Current keys: `account_id`, `name` (handle), `avatar_url`; an older
    reference page shows `id` and `username` instead.
     """
    predictions_count: int
    """ Predictions across all versions. """
    categories: list[ModelCategory]
    overview: None | str
    latest_version: ModelVersionWithDetails | None
    source_url: None | str
    license_url: None | str
    paper_url: None | str
    cover_image_url: None | str = OMITTED
    hardware: LegacyModelHardware | None = None
    """ Legacy; hardware now lives in the version configuration. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.cover_image_url is OMITTED:
            self.cover_image_url = None
        elif self.cover_image_url is None:
            self._null_keys += ("cover_image_url",)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        created_at = self.created_at.isoformat()

        visibility: str = self.visibility

        description: None | str
        description = self.description

        updated_at: None | str
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        owner = self.owner.to_dict()

        predictions_count = self.predictions_count

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        overview: None | str
        overview = self.overview

        latest_version: dict[str, Any] | None
        if isinstance(self.latest_version, ModelVersionWithDetails):
            latest_version = self.latest_version.to_dict()
        else:
            latest_version = self.latest_version

        source_url: None | str
        source_url = self.source_url

        license_url: None | str
        license_url = self.license_url

        paper_url: None | str
        paper_url = self.paper_url

        _cover_image_url = (
            UNSET if self.cover_image_url is None and "cover_image_url" not in self._null_keys else self.cover_image_url
        )
        cover_image_url: None | str | Unset
        if isinstance(_cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = _cover_image_url

        _hardware = UNSET if self.hardware is None else self.hardware
        hardware: dict[str, Any] | Unset = UNSET
        if not isinstance(_hardware, Unset):
            hardware = _hardware.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "created_at": created_at,
                "visibility": visibility,
                "description": description,
                "updated_at": updated_at,
                "owner": owner,
                "predictions_count": predictions_count,
                "categories": categories,
                "overview": overview,
                "latest_version": latest_version,
                "source_url": source_url,
                "license_url": license_url,
                "paper_url": paper_url,
            }
        )
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url
        if hardware is not UNSET:
            field_dict["hardware"] = hardware
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        visibility = check_model_visibility(d.pop("visibility"))

        description = d.pop("description")

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        owner = BaseUser.from_dict(d.pop("owner"))

        predictions_count = d.pop("predictions_count")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = ModelCategory.from_dict(categories_item_data)

            categories.append(categories_item)

        overview = d.pop("overview")

        def _parse_latest_version(data: object) -> ModelVersionWithDetails | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                latest_version_type_0 = ModelVersionWithDetails.from_dict(data)

                return latest_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelVersionWithDetails | None, data)

        latest_version = _parse_latest_version(d.pop("latest_version"))

        source_url = d.pop("source_url")

        license_url = d.pop("license_url")

        paper_url = d.pop("paper_url")

        cover_image_url = d.pop("cover_image_url", UNSET)

        _hardware = d.pop("hardware", UNSET)
        hardware: LegacyModelHardware | Unset
        if isinstance(_hardware, Unset):
            hardware = UNSET
        else:
            hardware = LegacyModelHardware.from_dict(_hardware)

        model_with_details = cls(
            id=id,
            name=name,
            created_at=created_at,
            visibility=visibility,
            description=description,
            updated_at=updated_at,
            owner=owner,
            predictions_count=predictions_count,
            categories=categories,
            overview=overview,
            latest_version=latest_version,
            source_url=source_url,
            license_url=license_url,
            paper_url=paper_url,
            cover_image_url=cover_image_url,
            hardware=None if isinstance(hardware, Unset) else hardware,
        )
        if model_with_details.hardware is None and "hardware" in src_dict:
            model_with_details._null_keys += ("hardware",)

        model_with_details.additional_properties = d
        return model_with_details

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
from ..models.base_user import BaseUser  # noqa: E402
from ..models.legacy_model_hardware import LegacyModelHardware  # noqa: E402
from ..models.model_category import ModelCategory  # noqa: E402
from ..models.model_version_with_details import ModelVersionWithDetails  # noqa: E402
