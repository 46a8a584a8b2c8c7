from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SchemaIO")


@_attrs_define
class SchemaIO:
    input_: SchemaIOInput
    """ JSON Schema 2020-12 of the input. """
    output: SchemaIOOutput
    """ JSON Schema 2020-12 of the output. """
    stream_output: SchemaIOStreamOutput | None = None
    """ JSON Schema of streamed output chunks. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _null_keys: tuple[str, ...] = _attrs_field(init=False, default=(), repr=False)
    """ JSON keys of the optional fields given as null: to_dict sends these as null. """

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

        output = self.output.to_dict()

        _stream_output = UNSET if self.stream_output is None else self.stream_output
        stream_output: dict[str, Any] | Unset = UNSET
        if not isinstance(_stream_output, Unset):
            stream_output = _stream_output.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
                "output": output,
            }
        )
        if stream_output is not UNSET:
            field_dict["stream_output"] = stream_output
        for key in self._null_keys:  # a null the server sent where the spec allows none
            field_dict.setdefault(key, None)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_ = SchemaIOInput.from_dict(d.pop("input"))

        output = SchemaIOOutput.from_dict(d.pop("output"))

        _stream_output = d.pop("stream_output", UNSET)
        stream_output: SchemaIOStreamOutput | Unset
        if isinstance(_stream_output, Unset):
            stream_output = UNSET
        else:
            stream_output = SchemaIOStreamOutput.from_dict(_stream_output)

        schema_io = cls(
            input_=input_,
            output=output,
            stream_output=None if isinstance(stream_output, Unset) else stream_output,
        )
        if schema_io.stream_output is None and "stream_output" in src_dict:
            schema_io._null_keys += ("stream_output",)

        schema_io.additional_properties = d
        return schema_io

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
from ..models.schema_io_input import SchemaIOInput  # noqa: E402
from ..models.schema_io_output import SchemaIOOutput  # noqa: E402
from ..models.schema_io_stream_output import SchemaIOStreamOutput  # noqa: E402
