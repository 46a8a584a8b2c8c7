"""The pure part of file inputs: finding and replacing files, dedupe, part plans, progress."""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from predictkit import FileInputError
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


def test_files_are_paths_bytes_and_readable_objects_never_strings() -> None:
    assert is_file(Path("a.png"))
    assert is_file(PurePosixPath("a.png"))
    assert is_file(b"x")
    assert is_file(bytearray(b"x"))
    assert is_file(io.BytesIO(b"x"))
    for value in ("a.png", "https://x/y.png", 3, None, 1.5, True, {"a": 1}, [1], (1,)):
        assert not is_file(value)


def test_files_are_found_at_any_depth_in_a_fixed_order() -> None:
    a, b = Path("a"), b"bytes"
    stream = io.BytesIO(b"s")
    tree = {"x": a, "y": [1, {"z": (b, "text")}, stream], "n": None}
    assert find_files(tree) == [(a, ("x",)), (b, ("y", 1, "z", 0)), (stream, ("y", 2))]
    assert where(("y", 1, "z", 0)) == "input['y'][1]['z'][0]"


def test_replacing_files_rebuilds_containers_and_leaves_the_original_alone() -> None:
    tree: dict[str, Any] = {"x": Path("a"), "y": [b"1", {"k": b"2"}], "keep": {"s": "a.png"}}
    seen: list[tuple[Any, ...]] = []

    def url(value: Any, at: tuple[Any, ...]) -> str:
        seen.append(at)
        return f"url{len(seen)}"

    out = replace_files(tree, url)
    assert out == {"x": "url1", "y": ["url2", {"k": "url3"}], "keep": {"s": "a.png"}}
    assert tree["x"] == Path("a") and tree["y"][0] == b"1"  # not modified
    assert seen == [("x",), ("y", 0), ("y", 1, "k")]


def test_tuples_become_lists_like_json() -> None:
    assert replace_files({"t": (1, b"x")}, lambda v, at: "u") == {"t": [1, "u"]}


def test_a_cycle_or_absurd_nesting_is_a_clear_error() -> None:
    loop: dict[str, Any] = {"a": [1]}
    loop["a"].append(loop)
    with pytest.raises(ValueError, match=r"input\['a'\]\[1\] contains itself"):
        find_files(loop)
    deep: Any = b"x"
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(ValueError, match="nested more than"):
        find_files(deep)


def test_shared_but_acyclic_containers_are_fine() -> None:
    shared = [b"x"]
    assert find_files({"a": shared, "b": shared}) == [(b"x", ("a", 0)), (b"x", ("b", 0))]


def test_text_mode_files_are_refused() -> None:
    with pytest.raises(FileInputError, match=r"text mode; open it in binary mode") as info:
        check_binary(io.StringIO("x"), "input['f']")
    assert info.value.file == "input['f']"
    check_binary(io.BytesIO(b"x"), "input['f']")


def test_mime_types_come_from_the_name_else_octet_stream() -> None:
    assert mime_type("photos/cat.png") == "image/png"
    assert mime_type("clip.WAV") in ("audio/x-wav", "audio/wav")
    assert mime_type("noext") == "application/octet-stream"
    assert mime_type(None) == "application/octet-stream"


def test_dedupe_by_identity_needs_no_digest() -> None:
    def never(index: int) -> bytes:
        raise AssertionError(f"digest({index}) read a file needlessly")

    cands = [Candidate("a", 10), Candidate("b", 20), Candidate("a", 10), Candidate("c", 30)]
    assert dedupe(cands, never) == [0, 1, 0, 3]


def test_dedupe_hashes_only_same_size_files_of_different_identity() -> None:
    digests = {0: b"h1", 1: b"h2", 2: b"h1", 4: b"h2"}
    asked: list[int] = []

    def digest(index: int) -> bytes:
        asked.append(index)
        return digests[index]

    cands = [
        Candidate("a", 5),
        Candidate("b", 5),
        Candidate("c", 5),
        Candidate("d", 7),  # unique size: never hashed
        Candidate("e", 5),
        Candidate("a", 5),  # same identity as 0: not hashed again
    ]
    assert dedupe(cands, digest) == [0, 1, 0, 3, 1, 0]
    assert sorted(asked) == [0, 1, 2, 4]


@pytest.mark.parametrize(
    ("size", "part_size", "count", "expected"),
    [
        (10, 4, 3, [(0, 0, 4), (1, 4, 4), (2, 8, 2)]),
        (8, 4, 2, [(0, 0, 4), (1, 4, 4)]),
        (3, 3, 1, [(0, 0, 3)]),
        (3, 100, 1, [(0, 0, 3)]),
        (0, 0, 1, [(0, 0, 0)]),
    ],
)
def test_part_plans_cover_the_file_exactly(
    size: int, part_size: int, count: int, expected: list[tuple[int, int, int]]
) -> None:
    urls = [f"https://s/p{i}?sig=secret" for i in range(count)]
    parts = plan_parts(size, part_size, urls)
    assert [(p.index, p.offset, p.length) for p in parts] == expected
    assert [p.url for p in parts] == urls
    assert "secret" not in repr(parts)


@pytest.mark.parametrize(
    ("size", "part_size", "urls", "problem"),
    [
        (10, 4, ["https://s/u"] * 2, "2 part URLs for 10 bytes"),
        (10, 4, ["https://s/u"] * 4, "4 part URLs"),
        (10, 0, ["https://s/u"], "part size is 0"),
        (10, -1, ["https://s/u"], "not a whole number"),
        (10, True, ["https://s/u"] * 10, "not a whole number"),
        (10, "4", ["https://s/u"] * 3, "not a whole number"),
        (10, 4, "u", "not a list"),
        (10, 4, ["u", "", "u"], "not a list of strings"),
        (10, 4, ["u", 3, "u"], "not a list of strings"),
        (3, 4, ["http://store.example/p?sig=s3cr3t"], r"http://store.example/p is not https"),
        (3, 4, ["ftp://store.example/p"], "is not https"),
        (3, 4, ["https:///p"], "is not https"),
        (3, 4, ["http://[::1"], "not a valid URL"),
    ],
)
def test_bad_part_plans_are_refused(size: int, part_size: Any, urls: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as info:
        plan_parts(size, part_size, urls)
    assert "s3cr3t" not in str(info.value)


def test_plain_http_part_urls_are_fine_on_loopback_only() -> None:
    for host in ("127.0.0.1:8000", "localhost", "[::1]:9"):
        assert plan_parts(1, 1, [f"http://{host}/p?sig=x"])[0].length == 1


def test_chunks_stream_a_range_in_bounded_reads() -> None:
    assert list(chunks(10, 25, 10)) == [(10, 10), (20, 10), (30, 5)]
    assert list(chunks(0, 0, 10)) == []


def test_progress_sums_parts_and_takes_back_a_retried_part() -> None:
    calls: list[tuple[int, int]] = []
    progress = Progress(100, lambda sent, total: calls.append((sent, total)))
    progress.add("p0", 30)
    progress.add("p1", 20)
    progress.add("p0", 10)
    progress.restart("p1")  # part 1 failed: its 20 bytes must go again
    progress.restart("p2")  # nothing sent for it yet: no call
    progress.add("p1", 60)
    assert calls == [(30, 100), (50, 100), (60, 100), (40, 100), (100, 100)]
    assert progress.sent == 100


def test_progress_without_a_callback_still_counts() -> None:
    progress = Progress(5, None)
    progress.add(("u", 0), 5)
    assert progress.sent == 5
