from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET

T = TypeVar("T", bound="BaseUser")


@_attrs_define
class BaseUser:
    """A model's owner. Current keys: `account_id`, `name` (handle), `avatar_url`; an older
    reference page shows `id` and `username` instead.

    """

    avatar_url: str
    account_id: str | None = None
    name: str | None = None
    """ The unique handle. """
    id: str | None = None
    """ Older name of `account_id`. """
    username: str | None = None
    """ Older name of `name`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        avatar_url = self.avatar_url

        account_id = UNSET if self.account_id is None else self.account_id

        name = UNSET if self.name is None else self.name

        id = UNSET if self.id is None else self.id

        username = UNSET if self.username is None else self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatar_url": avatar_url,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if name is not UNSET:
            field_dict["name"] = name
        if id is not UNSET:
            field_dict["id"] = id
        if username is not UNSET:
            field_dict["username"] = username
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatar_url = d.pop("avatar_url")

        account_id = d.pop("account_id", None)

        name = d.pop("name", None)

        id = d.pop("id", None)

        username = d.pop("username", None)

        base_user = cls(
            avatar_url=avatar_url,
            account_id=account_id,
            name=name,
            id=id,
            username=username,
        )
        if base_user.account_id is None and "account_id" in src_dict:
            base_user._null_keys += ("account_id",)
        if base_user.name is None and "name" in src_dict:
            base_user._null_keys += ("name",)
        if base_user.id is None and "id" in src_dict:
            base_user._null_keys += ("id",)
        if base_user.username is None and "username" in src_dict:
            base_user._null_keys += ("username",)

        base_user.additional_properties = d
        return base_user

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
