from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import OMITTED, UNSET, Unset

T = TypeVar("T", bound="VariableList")


@_attrs_define
class VariableList:
    items: list[Variable]
    next_cursor: None | str
    """ Cursor of the adjacent page, or null at that end of the list. """
    previous_cursor: None | str
    """ Cursor of the adjacent page, or null at that end of the list. """
    next_url: None | str = OMITTED
    """ Legacy URL of the adjacent page; the current service sends only the cursors. """
    previous_url: None | str = OMITTED
    """ Legacy URL of the adjacent page; the current service sends only the cursors. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.next_url is OMITTED:
            self.next_url = None
        elif self.next_url is None:
            self._null_keys += ("next_url",)
        if self.previous_url is OMITTED:
            self.previous_url = None
        elif self.previous_url is None:
            self._null_keys += ("previous_url",)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        previous_cursor: None | str
        previous_cursor = self.previous_cursor

        _next_url = UNSET if self.next_url is None and "next_url" not in self._null_keys else self.next_url
        next_url: None | str | Unset
        if isinstance(_next_url, Unset):
            next_url = UNSET
        else:
            next_url = _next_url

        _previous_url = (
            UNSET if self.previous_url is None and "previous_url" not in self._null_keys else self.previous_url
        )
        previous_url: None | str | Unset
        if isinstance(_previous_url, Unset):
            previous_url = UNSET
        else:
            previous_url = _previous_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "next_cursor": next_cursor,
                "previous_cursor": previous_cursor,
            }
        )
        if next_url is not UNSET:
            field_dict["next_url"] = next_url
        if previous_url is not UNSET:
            field_dict["previous_url"] = previous_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = Variable.from_dict(items_item_data)

            items.append(items_item)

        next_cursor = d.pop("next_cursor")

        previous_cursor = d.pop("previous_cursor")

        next_url = d.pop("next_url", UNSET)

        previous_url = d.pop("previous_url", UNSET)

        variable_list = cls(
            items=items,
            next_cursor=next_cursor,
            previous_cursor=previous_cursor,
            next_url=next_url,
            previous_url=previous_url,
        )

        variable_list.additional_properties = d
        return variable_list

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
from ..models.variable import Variable  # noqa: E402
