"""More edges of the pure part of file inputs (predictkit._files)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from predictkit import FileInputError, InvalidInputError
from predictkit._files import (
    MAX_DEPTH,
    Candidate,
    Progress,
    check_binary,
    chunks,
    dedupe,
    find_files,
    is_file,
    mime_type,
    plan_parts,
    replace_files,
    where,
)


class NotAFile:
    read = "a string attribute, not a method"


class ModeOnly:
    """A readable object that says which mode it was opened in."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def read(self, size: int = -1) -> bytes:
        return b""


def test_an_object_whose_read_is_not_callable_is_no_file() -> None:
    assert not is_file(NotAFile())
    assert is_file(ModeOnly("rb"))


def test_nesting_up_to_the_limit_is_fine() -> None:
    deep: Any = b"x"
    for _ in range(MAX_DEPTH):
        deep = [deep]
    ((file, at),) = find_files(deep)
    assert file == b"x" and len(at) == MAX_DEPTH
    with pytest.raises(InvalidInputError, match=f"nested more than {MAX_DEPTH} levels") as info:
        find_files([deep])
    assert str(info.value).startswith("input[0][0]")


def test_any_mapping_is_walked_and_rebuilt_as_a_dict() -> None:
    frozen = types.MappingProxyType({"f": b"x", "n": 1})
    out = replace_files({"m": frozen}, lambda value, at: f"url:{'/'.join(map(str, at))}")
    assert out == {"m": {"f": "url:m/f", "n": 1}}
    assert type(out["m"]) is dict


def test_values_that_are_not_files_or_containers_are_kept_as_they_are() -> None:
    marker = object()
    tree = {"s": "a.png", "i": 3, "o": marker, "none": None}
    out = replace_files(tree, lambda value, at: "url")
    assert out == tree and out["o"] is marker and out is not tree
    assert find_files(tree) == []


def test_where_names_the_root_and_each_key() -> None:
    assert where(()) == "input"
    assert where(("a", 0)) == "input['a'][0]"


def test_a_file_object_with_a_text_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileInputError) as info:
        check_binary(ModeOnly("r"), "input['doc']")
    assert info.value.file == "input['doc']" and "input['doc']" in str(info.value)
    check_binary(ModeOnly("rb"), "input['doc']")
    check_binary(ModeOnly("r+b"), "input['doc']")
    path = tmp_path / "f.bin"
    path.write_bytes(b"x")
    with path.open("rb") as binary:
        check_binary(binary, "input['f']")
    with path.open("r") as text, pytest.raises(FileInputError):
        check_binary(text, "input['f']")


def test_mime_types_include_the_common_non_standard_ones() -> None:
    # Types only in Python's non-strict table, identical on 3.11-3.13 (".rtf" is not: 3.13
    # moved it to text/rtf in the strict table).
    assert mime_type("sketch.pict") == "image/pict"
    assert mime_type("ui.xul") == "text/xul"
    assert mime_type("PHOTO.JPG") == "image/jpeg"
    assert mime_type("") == "application/octet-stream"


def test_same_size_files_with_different_content_stay_apart() -> None:
    cands = [Candidate("a", 4), Candidate("b", 4), Candidate("c", 4)]
    digests = [b"1", b"2", b"2"]
    assert dedupe(cands, lambda i: digests[i]) == [0, 1, 1]
    assert dedupe([], lambda i: b"") == []


def test_the_last_part_holds_the_remainder() -> None:
    parts = plan_parts(11, 5, ["https://s/0", "https://s/1", "https://s/2"])
    assert [(p.offset, p.length) for p in parts] == [(0, 5), (5, 5), (10, 1)]
    assert [p.index for p in parts] == [0, 1, 2]


def test_an_empty_file_is_one_empty_part_whatever_the_part_size() -> None:
    (part,) = plan_parts(0, 5, ["https://s/0"])
    assert (part.offset, part.length) == (0, 0)
    with pytest.raises(ValueError, match="expected 1"):
        plan_parts(0, 5, [])


def test_a_plan_with_one_part_too_few_is_refused() -> None:
    with pytest.raises(ValueError, match="expected 3"):
        plan_parts(11, 5, ["https://s/0", "https://s/1"])


def test_chunks_never_read_past_the_range() -> None:
    assert list(chunks(3, 4, 100)) == [(3, 4)]
    assert list(chunks(0, 6, 3)) == [(0, 3), (3, 3)]


def test_progress_restarting_a_part_twice_takes_it_back_once() -> None:
    calls: list[tuple[int, int]] = []
    progress = Progress(10, lambda sent, total: calls.append((sent, total)))
    progress.add("p", 4)
    progress.add("p", 3)
    progress.restart("p")
    progress.restart("p")
    assert progress.sent == 0
    assert calls == [(4, 10), (7, 10), (0, 10)]


def test_a_zero_part_size_for_one_byte_is_refused() -> None:
    with pytest.raises(ValueError, match="part size is 0"):
        plan_parts(1, 0, ["https://s/0"])


def test_refusals_name_what_came_instead_and_hide_the_url_secrets() -> None:
    with pytest.raises(ValueError, match=r"not a list of strings \(str\)"):
        plan_parts(1, 1, "https://s/0")
    with pytest.raises(ValueError, match="is not https") as info:
        plan_parts(1, 1, ["http://store.example/p?sig=s3cr3t#frag"])
    assert str(info.value) == "the part URL http://store.example/p is not https"
