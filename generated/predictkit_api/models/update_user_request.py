from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="UpdateUserRequest")


@_attrs_define
class UpdateUserRequest:
    name: str | None = None
    display_name: None | str = OMITTED
    bio: None | str = OMITTED
    urls: list[str] | None = OMITTED
    company: None | str = OMITTED
    location: None | str = OMITTED
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.display_name is OMITTED:
            self.display_name = None
        elif self.display_name is None:
            self._null_keys += ("display_name",)
        if self.bio is OMITTED:
            self.bio = None
        elif self.bio is None:
            self._null_keys += ("bio",)
        if self.urls is OMITTED:
            self.urls = None
        elif self.urls is None:
            self._null_keys += ("urls",)
        if self.company is OMITTED:
            self.company = None
        elif self.company is None:
            self._null_keys += ("company",)
        if self.location is OMITTED:
            self.location = None
        elif self.location is None:
            self._null_keys += ("location",)

    def to_dict(self) -> dict[str, Any]:
        name = UNSET if self.name is None else self.name

        _display_name = (
            UNSET if self.display_name is None and "display_name" not in self._null_keys else self.display_name
        )
        display_name: None | str | Unset
        if isinstance(_display_name, Unset):
            display_name = UNSET
        else:
            display_name = _display_name

        _bio = UNSET if self.bio is None and "bio" not in self._null_keys else self.bio
        bio: None | str | Unset
        if isinstance(_bio, Unset):
            bio = UNSET
        else:
            bio = _bio

        _urls = UNSET if self.urls is None and "urls" not in self._null_keys else self.urls
        urls: list[str] | None | Unset
        if isinstance(_urls, Unset):
            urls = UNSET
        elif isinstance(_urls, list):
            urls = _urls

        else:
            urls = _urls

        _company = UNSET if self.company is None and "company" not in self._null_keys else self.company
        company: None | str | Unset
        if isinstance(_company, Unset):
            company = UNSET
        else:
            company = _company

        _location = UNSET if self.location is None and "location" not in self._null_keys else self.location
        location: None | str | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = _location

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if bio is not UNSET:
            field_dict["bio"] = bio
        if urls is not UNSET:
            field_dict["urls"] = urls
        if company is not UNSET:
            field_dict["company"] = company
        if location is not UNSET:
            field_dict["location"] = location
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", None)

        display_name = d.pop("display_name", UNSET)

        bio = d.pop("bio", UNSET)

        def _parse_urls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                urls_type_0 = cast(list[str], data)

                return urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        urls = _parse_urls(d.pop("urls", UNSET))

        company = d.pop("company", UNSET)

        location = d.pop("location", UNSET)

        update_user_request = cls(
            name=name,
            display_name=display_name,
            bio=bio,
            urls=cast(Any, urls),
            company=company,
            location=location,
        )
        if update_user_request.name is None and "name" in src_dict:
            update_user_request._null_keys += ("name",)

        update_user_request.additional_properties = d
        return update_user_request

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
