from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """Where to POST prediction updates."""

    url: str
    """ HTTP URL to POST updates to. """
    secret: None | str = OMITTED
    """ Signs each delivery (`wriftai-webhook-signature`) when set. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.secret is OMITTED:
            self.secret = None
        elif self.secret is None:
            self._null_keys += ("secret",)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        _secret = UNSET if self.secret is None and "secret" not in self._null_keys else self.secret
        secret: None | str | Unset
        if isinstance(_secret, Unset):
            secret = UNSET
        else:
            secret = _secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        secret = d.pop("secret", UNSET)

        webhook = cls(
            url=url,
            secret=secret,
        )

        webhook.additional_properties = d
        return webhook

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
