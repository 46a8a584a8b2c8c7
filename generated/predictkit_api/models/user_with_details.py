from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="UserWithDetails")


@_attrs_define
class UserWithDetails:
    avatar_url: str
    name: str
    """ The unique handle. """
    created_at: datetime.datetime
    account_id: str | None = None
    id: str | None = None
    """ Older name of `account_id`. """
    username: str | None = None
    """ Older name of `name`. """
    display_name: None | str = OMITTED
    bio: None | str = OMITTED
    location: None | str = OMITTED
    company: None | str = OMITTED
    updated_at: datetime.datetime | None = OMITTED
    urls: list[str] | None = OMITTED
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
        if self.location is OMITTED:
            self.location = None
        elif self.location is None:
            self._null_keys += ("location",)
        if self.company is OMITTED:
            self.company = None
        elif self.company is None:
            self._null_keys += ("company",)
        if self.updated_at is OMITTED:
            self.updated_at = None
        elif self.updated_at is None:
            self._null_keys += ("updated_at",)
        if self.urls is OMITTED:
            self.urls = None
        elif self.urls is None:
            self._null_keys += ("urls",)

    def to_dict(self) -> dict[str, Any]:
        avatar_url = self.avatar_url

        name = self.name

        created_at = self.created_at.isoformat()

        account_id = UNSET if self.account_id is None else self.account_id

        id = UNSET if self.id is None else self.id

        username = UNSET if self.username is None else self.username

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

        _location = UNSET if self.location is None and "location" not in self._null_keys else self.location
        location: None | str | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = _location

        _company = UNSET if self.company is None and "company" not in self._null_keys else self.company
        company: None | str | Unset
        if isinstance(_company, Unset):
            company = UNSET
        else:
            company = _company

        _updated_at = UNSET if self.updated_at is None and "updated_at" not in self._null_keys else self.updated_at
        updated_at: None | str | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        elif isinstance(_updated_at, datetime.datetime):
            updated_at = _updated_at.isoformat()
        else:
            updated_at = _updated_at

        _urls = UNSET if self.urls is None and "urls" not in self._null_keys else self.urls
        urls: list[str] | None | Unset
        if isinstance(_urls, Unset):
            urls = UNSET
        elif isinstance(_urls, list):
            urls = _urls

        else:
            urls = _urls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatar_url": avatar_url,
                "name": name,
                "created_at": created_at,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if id is not UNSET:
            field_dict["id"] = id
        if username is not UNSET:
            field_dict["username"] = username
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if bio is not UNSET:
            field_dict["bio"] = bio
        if location is not UNSET:
            field_dict["location"] = location
        if company is not UNSET:
            field_dict["company"] = company
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if urls is not UNSET:
            field_dict["urls"] = urls
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatar_url = d.pop("avatar_url")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        account_id = d.pop("account_id", None)

        id = d.pop("id", None)

        username = d.pop("username", None)

        display_name = d.pop("display_name", UNSET)

        bio = d.pop("bio", UNSET)

        location = d.pop("location", UNSET)

        company = d.pop("company", UNSET)

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

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

        user_with_details = cls(
            avatar_url=avatar_url,
            name=name,
            created_at=created_at,
            account_id=account_id,
            id=id,
            username=username,
            display_name=display_name,
            bio=bio,
            location=location,
            company=company,
            updated_at=cast(Any, updated_at),
            urls=cast(Any, urls),
        )
        if user_with_details.account_id is None and "account_id" in src_dict:
            user_with_details._null_keys += ("account_id",)
        if user_with_details.id is None and "id" in src_dict:
            user_with_details._null_keys += ("id",)
        if user_with_details.username is None and "username" in src_dict:
            user_with_details._null_keys += ("username",)

        user_with_details.additional_properties = d
        return user_with_details

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
