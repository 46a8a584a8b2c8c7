from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET

T = TypeVar("T", bound="Compatibilities")


@_attrs_define
class Compatibilities:
    """Which vendor-compatible endpoints a version answers."""

    openai_chat_completions: bool | None = None
    openai_embeddings: bool | None = None
    openai_images_generations: bool | None = None
    openai_responses: bool | None = None
    anthropic_messages: bool | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        openai_chat_completions = UNSET if self.openai_chat_completions is None else self.openai_chat_completions

        openai_embeddings = UNSET if self.openai_embeddings is None else self.openai_embeddings

        openai_images_generations = UNSET if self.openai_images_generations is None else self.openai_images_generations

        openai_responses = UNSET if self.openai_responses is None else self.openai_responses

        anthropic_messages = UNSET if self.anthropic_messages is None else self.anthropic_messages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if openai_chat_completions is not UNSET:
            field_dict["openai_chat_completions"] = openai_chat_completions
        if openai_embeddings is not UNSET:
            field_dict["openai_embeddings"] = openai_embeddings
        if openai_images_generations is not UNSET:
            field_dict["openai_images_generations"] = openai_images_generations
        if openai_responses is not UNSET:
            field_dict["openai_responses"] = openai_responses
        if anthropic_messages is not UNSET:
            field_dict["anthropic_messages"] = anthropic_messages
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        openai_chat_completions = d.pop("openai_chat_completions", None)

        openai_embeddings = d.pop("openai_embeddings", None)

        openai_images_generations = d.pop("openai_images_generations", None)

        openai_responses = d.pop("openai_responses", None)

        anthropic_messages = d.pop("anthropic_messages", None)

        compatibilities = cls(
            openai_chat_completions=openai_chat_completions,
            openai_embeddings=openai_embeddings,
            openai_images_generations=openai_images_generations,
            openai_responses=openai_responses,
            anthropic_messages=anthropic_messages,
        )
        if compatibilities.openai_chat_completions is None and "openai_chat_completions" in src_dict:
            compatibilities._null_keys += ("openai_chat_completions",)
        if compatibilities.openai_embeddings is None and "openai_embeddings" in src_dict:
            compatibilities._null_keys += ("openai_embeddings",)
        if compatibilities.openai_images_generations is None and "openai_images_generations" in src_dict:
            compatibilities._null_keys += ("openai_images_generations",)
        if compatibilities.openai_responses is None and "openai_responses" in src_dict:
            compatibilities._null_keys += ("openai_responses",)
        if compatibilities.anthropic_messages is None and "anthropic_messages" in src_dict:
            compatibilities._null_keys += ("anthropic_messages",)

        compatibilities.additional_properties = d
        return compatibilities

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
