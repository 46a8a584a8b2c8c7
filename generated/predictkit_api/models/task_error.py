from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_source import ErrorSource, check_error_source
from ..types import OMITTED, UNSET

T = TypeVar("T", bound="TaskError")


@_attrs_define
class TaskError:
    """Why a prediction failed."""

    source: ErrorSource
    """ Whether a task error came from the platform (`internal`) or the model (`external`). """
    message: str
    detail: Any = OMITTED
    """ More detail, any JSON value. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def __attrs_post_init__(self) -> None:
        # OMITTED (the default, or what from_dict passes for a missing key) becomes None; a None
        # given explicitly is remembered, so absent and null stay different in to_dict.
        if self.detail is OMITTED:
            self.detail = None
        elif self.detail is None:
            self._null_keys += ("detail",)

    def to_dict(self) -> dict[str, Any]:
        source: str = self.source

        message = self.message

        detail = UNSET if self.detail is None and "detail" not in self._null_keys else self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "message": message,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = check_error_source(d.pop("source"))

        message = d.pop("message")

        detail = d.pop("detail", UNSET)

        task_error = cls(
            source=source,
            message=message,
            detail=detail,
        )

        task_error.additional_properties = d
        return task_error

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
