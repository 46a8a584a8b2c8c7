from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_visibility import ModelVisibility, check_model_visibility
from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="CreateModelRequest")


@_attrs_define
class CreateModelRequest:
    name: str
    visibility: ModelVisibility | None = None
    description: None | str = OMITTED
    source_url: None | str = OMITTED
    license_url: None | str = OMITTED
    paper_url: None | str = OMITTED
    overview: None | str = OMITTED
    category_slugs: list[str] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.description is OMITTED:
            self.description = None
        elif self.description is None:
            self._null_keys += ("description",)
        if self.source_url is OMITTED:
            self.source_url = None
        elif self.source_url is None:
            self._null_keys += ("source_url",)
        if self.license_url is OMITTED:
            self.license_url = None
        elif self.license_url is None:
            self._null_keys += ("license_url",)
        if self.paper_url is OMITTED:
            self.paper_url = None
        elif self.paper_url is None:
            self._null_keys += ("paper_url",)
        if self.overview is OMITTED:
            self.overview = None
        elif self.overview is None:
            self._null_keys += ("overview",)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        _visibility = UNSET if self.visibility is None else self.visibility
        visibility: str | Unset = UNSET
        if not isinstance(_visibility, Unset):
            visibility = _visibility

        _description = UNSET if self.description is None and "description" not in self._null_keys else self.description
        description: None | str | Unset
        if isinstance(_description, Unset):
            description = UNSET
        else:
            description = _description

        _source_url = UNSET if self.source_url is None and "source_url" not in self._null_keys else self.source_url
        source_url: None | str | Unset
        if isinstance(_source_url, Unset):
            source_url = UNSET
        else:
            source_url = _source_url

        _license_url = UNSET if self.license_url is None and "license_url" not in self._null_keys else self.license_url
        license_url: None | str | Unset
        if isinstance(_license_url, Unset):
            license_url = UNSET
        else:
            license_url = _license_url

        _paper_url = UNSET if self.paper_url is None and "paper_url" not in self._null_keys else self.paper_url
        paper_url: None | str | Unset
        if isinstance(_paper_url, Unset):
            paper_url = UNSET
        else:
            paper_url = _paper_url

        _overview = UNSET if self.overview is None and "overview" not in self._null_keys else self.overview
        overview: None | str | Unset
        if isinstance(_overview, Unset):
            overview = UNSET
        else:
            overview = _overview

        _category_slugs = UNSET if self.category_slugs is None else self.category_slugs
        category_slugs: list[str] | Unset = UNSET
        if not isinstance(_category_slugs, Unset):
            category_slugs = _category_slugs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if description is not UNSET:
            field_dict["description"] = description
        if source_url is not UNSET:
            field_dict["source_url"] = source_url
        if license_url is not UNSET:
            field_dict["license_url"] = license_url
        if paper_url is not UNSET:
            field_dict["paper_url"] = paper_url
        if overview is not UNSET:
            field_dict["overview"] = overview
        if category_slugs is not UNSET:
            field_dict["category_slugs"] = category_slugs
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _visibility = d.pop("visibility", UNSET)
        visibility: ModelVisibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = check_model_visibility(_visibility)

        description = d.pop("description", UNSET)

        source_url = d.pop("source_url", UNSET)

        license_url = d.pop("license_url", UNSET)

        paper_url = d.pop("paper_url", UNSET)

        overview = d.pop("overview", UNSET)

        category_slugs = cast(list[str], d.pop("category_slugs", UNSET))

        create_model_request = cls(
            name=name,
            visibility=None if isinstance(visibility, Unset) else visibility,
            description=description,
            source_url=source_url,
            license_url=license_url,
            paper_url=paper_url,
            overview=overview,
            category_slugs=None if isinstance(category_slugs, Unset) else category_slugs,
        )
        if create_model_request.visibility is None and "visibility" in src_dict:
            create_model_request._null_keys += ("visibility",)
        if create_model_request.category_slugs is None and "category_slugs" in src_dict:
            create_model_request._null_keys += ("category_slugs",)

        create_model_request.additional_properties = d
        return create_model_request

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
