"""Every prediction command end to end against the reference server, in-process (stdout and
stderr are pipes: the plain, stable output scripts see), with its exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from predictkit import Client, WaitOptions
from predictkit.cli._run import _file_name, output_urls
from predictkit.testing import Fault, ReferenceServer

from .conftest import Invoke

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def status_lines(err: str) -> list[tuple[str, str]]:
    """(id, status) of each ``prediction ID STATUS`` line on stderr."""
    return re.findall(rf"^prediction ({UUID}) (\w+)$", err, re.M)


def test_run_prints_the_output_and_one_line_per_status(invoke: Invoke) -> None:
    ran = invoke("run", "demo/echo", "-i", "prompt=hi", "-i", "n=3", "-i", "tags=[1, 2]")
    assert ran.code == 0
    assert json.loads(ran.out) == {"prompt": "hi", "n": 3, "tags": [1, 2]}
    lines = status_lines(ran.err)
    assert lines[0][1] == "created" and lines[-1][1] == "succeeded"
    assert len({pid for pid, _ in lines}) == 1
    assert ran.err.splitlines() == [f"prediction {pid} {s}" for pid, s in lines]
    assert "\x1b" not in ran.out + ran.err  # no colours, no cursor movement off a terminal


def test_run_text_output_is_printed_as_is(
    invoke: Invoke, predictkit_server: ReferenceServer
) -> None:
    ran = invoke("run", "demo/echo", "-i", "output_file=a lake")  # the output is a URL string
    assert ran.code == 0
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/files/\S+\n", ran.out)
    items = invoke("run", "demo/echo", "-i", 'stream=["a lake", " at dawn"]')
    assert json.loads(items.out) == ["a lake", " at dawn"]


def test_run_json_is_the_prediction(invoke: Invoke, predictkit_client: Client) -> None:
    ran = invoke("run", "demo/echo:1", "-i", "prompt=hi", "--json")
    assert ran.code == 0
    body = json.loads(ran.out)
    assert body["status"] == "succeeded" and body["output"] == {"prompt": "hi"}
    assert body["model"] == {"owner": "demo", "name": "echo", "version_number": 1}
    assert predictkit_client.predictions.get(body["id"]).status == "succeeded"


def test_run_no_wait_prints_only_the_id(invoke: Invoke, predictkit_client: Client) -> None:
    ran = invoke("run", "demo/echo", "-i", "sleep=0.2", "--no-wait")
    assert ran.code == 0
    assert re.fullmatch(rf"{UUID}\n", ran.out)
    final = predictkit_client.predictions.wait(ran.out.strip(), WaitOptions(timeout=30))
    assert final.output == {"sleep": 0.2}


def test_run_stream_prints_chunks_as_they_arrive(invoke: Invoke) -> None:
    ran = invoke("run", "demo/echo", "-i", 'stream=["a", "b", "c"]', "-i", "sleep=0.1", "--stream")
    assert ran.code == 0
    assert ran.out == "abc\n"  # the chunks, not the final output again


def test_run_stream_without_an_event_stream_waits(invoke: Invoke) -> None:
    ran = invoke("run", "demo/echo", "-i", "stream_available=false", "-i", "x=1", "--stream")
    assert ran.code == 0
    assert json.loads(ran.out) == {"stream_available": False, "x": 1}


def test_run_uploads_file_inputs_and_downloads_output_files(
    invoke: Invoke, predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG pretend")
    out_dir = tmp_path / "out"
    ran = invoke("run", "demo/echo", "-i", f"image=@{photo}", "--output-dir", str(out_dir))
    assert ran.code == 0
    url = json.loads(ran.out)["image"]
    assert url.startswith(predictkit_server.url.removesuffix("/v1"))
    assert "uploading 1 file: 12 bytes" in ran.err
    [saved] = list(out_dir.iterdir())
    assert saved.read_bytes() == b"\x89PNG pretend"
    assert f"saved {saved} (12 bytes)" in ran.err
    assert [r.operation_id for r in predictkit_server.requests].count("create_upload") == 1


def test_run_downloads_every_output_file_under_a_safe_name(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    ran = invoke(
        "run", "demo/echo", "-i", "output_file=a lake at dawn", "--output-dir", str(tmp_path)
    )
    assert ran.code == 0
    saved = [p for p in tmp_path.iterdir() if p.is_file()]
    assert [p.read_text() for p in saved] == ["a lake at dawn"]


def test_output_file_names_are_plain_names_never_paths() -> None:
    used = {"result.png"}
    names = [
        _file_name(url, i, used)
        for i, url in enumerate(
            [
                "https://cdn.example/a/result.png?X-Amz-Signature=secret",
                "https://cdn.example/a/result.png",
                "https://cdn.example/..",
                "https://cdn.example/a/%2e%2e%2fetc%2fpasswd",
                "https://cdn.example/",
                "https://cdn.example/.hidden",
            ]
        )
    ]
    assert names == ["result-1.png", "result-2.png", "output-2", "output-3", "output-4", "output-5"]
    assert list(output_urls({"a": ["x", "https://h/1"], "b": {"c": "http://h/2"}, "d": 3})) == [
        "https://h/1",
        "http://h/2",
    ]


def test_failed_prediction_exits_13_with_its_error(invoke: Invoke) -> None:
    ran = invoke("run", "demo/echo", "-i", "fail=out of memory")
    assert ran.code == 13
    assert ran.out == ""
    assert re.search(rf"^error: prediction {UUID} failed: out of memory$", ran.err, re.M)
    as_json = invoke("run", "demo/echo", "-i", "fail=boom", "--json")
    assert as_json.code == 13 and json.loads(as_json.out)["error"]["message"] == "boom"


def test_wait_timeout_exits_10_and_leaves_it_running(
    invoke: Invoke, predictkit_client: Client
) -> None:
    ran = invoke("run", "demo/echo", "-i", "sleep=30", "--timeout", "0.3")
    assert ran.code == 10
    [pid] = {pid for pid, _ in status_lines(ran.err)}
    assert pid in ran.err.splitlines()[-1]
    assert predictkit_client.predictions.get(pid).status in {"starting", "started"}
    predictkit_client.predictions.cancel(pid)


def test_get_wait_cancel_list(invoke: Invoke, predictkit_client: Client) -> None:
    pid = invoke("run", "demo/echo", "-i", "sleep=30", "--no-wait").out.strip()

    got = invoke("get", pid)
    assert got.code == 0
    assert got.out.splitlines()[:3] == [
        f"id       {pid}",
        "model    demo/echo:2",
        f"status   {predictkit_client.predictions.get(pid).status}",
    ] or got.out.splitlines()[2].startswith("status   ")
    assert json.loads(invoke("get", pid, "--json").out)["id"] == pid

    listed = invoke("list", "--limit", "5")
    assert listed.code == 0
    header, *rows = listed.out.splitlines()
    assert header.split("\t") == ["ID", "MODEL", "STATUS", "CREATED"]
    assert rows[0].split("\t")[:2] == [pid, "demo/echo:2"]

    assert invoke("cancel", pid).out == f"cancel requested for prediction {pid}\n"
    waited = invoke("wait", pid)
    assert waited.code == 14  # it ended cancelled
    assert f"error: prediction {pid} was cancelled" in waited.err
    assert invoke("cancel", "00000000-0000-4000-8000-000000000000").code == 4
    assert invoke("wait", pid, "--json").code == 14

    cancelled = invoke("list", "--status", "cancelled", "--json")
    assert [p["id"] for p in json.loads(cancelled.out)] == [pid]
    assert invoke("list", "--status", "failed").out == "ID\tMODEL\tSTATUS\tCREATED\n"


def test_wait_prints_the_output_of_a_succeeded_prediction(invoke: Invoke) -> None:
    pid = invoke("run", "demo/echo", "-i", "prompt=later", "--no-wait").out.strip()
    waited = invoke("wait", pid)
    assert (waited.code, json.loads(waited.out)) == (0, {"prompt": "later"})


def test_stream_prints_chunks_and_events(invoke: Invoke) -> None:
    pid = invoke(
        "run", "demo/echo", "-i", 'stream=["x", "y"]', "-i", "sleep=0.2", "--stream", "--no-wait"
    ).out.strip()
    ran = invoke("stream", pid)
    assert (ran.code, ran.out) == (0, "xy")
    events = [json.loads(line) for line in invoke("stream", pid, "--json").out.splitlines()]
    assert [e["event"] for e in events if e["event"] == "output"] == ["output", "output"]
    assert events[-1]["event"] == "done"
    after = invoke("stream", pid, "--after", events[0]["id"], "--json").out.splitlines()
    assert len(after) == len(events) - 1


def test_stream_of_a_failed_prediction_exits_13(invoke: Invoke) -> None:
    pid = invoke("run", "demo/echo", "-i", "fail=nope", "--stream", "--no-wait").out.strip()
    ran = invoke("stream", pid)
    assert ran.code == 13
    assert f"error: prediction {pid} failed" in ran.err


def test_api_errors_are_one_line_with_their_exit_code(
    invoke: Invoke, predictkit_server: ReferenceServer
) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    cases = {
        ("get", missing): 4,
        ("run", "nobody/nothing", "-i", "a=1"): 4,
        ("run", "demo/validated", "-i", "prompt=1", "--validate-input"): 6,
        ("run", "demo/validated", "-i", 'prompt="1"', "--validate-input"): 0,
    }
    for args, code in cases.items():
        ran = invoke(*args)
        assert ran.code == code, (args, ran)
        if code:
            assert ran.err.count("\n") == 1 and ran.err.startswith("error: ")
            assert "Traceback" not in ran.err

    predictkit_server.inject("list_predictions", Fault.status(503, retry_after=0), times=3)
    assert invoke("list").code == 8
    predictkit_server.inject("list_predictions", Fault.status(429, retry_after=0), times=3)
    assert invoke("list").code == 7
    predictkit_server.inject("create_prediction", Fault.status(500), times=5)
    outcome = invoke("run", "demo/echo", "-i", "a=1")
    assert outcome.code == 11 and "error: " in outcome.err


def test_usage_errors_exit_2_and_send_nothing(
    invoke: Invoke, predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    for args in [
        ("run", "not a ref"),
        ("run", "demo/echo", "-i", "novalue"),
        ("run", "demo/echo", "-i", "a=1", "-i", "a=2"),
        ("run", "demo/echo", "-i", f"f=@{tmp_path / 'missing.png'}"),
        ("run", "demo/echo", "-i", "f=@"),
        ("list", "--status", "bogus"),
        ("list", "--limit", "0"),
        ("frobnicate",),
    ]:
        ran = invoke(*args)
        assert ran.code == 2, (args, ran)
        assert "Traceback" not in ran.err
    assert predictkit_server.requests == []


def test_a_missing_or_wrong_token_exits_3_and_is_never_printed(invoke: Invoke) -> None:
    ran = invoke("list", env={"WRIFTAI_ACCESS_TOKEN": None})
    assert ran.code == 3
    assert ran.err == "error: No WriftAI access token: set WRIFTAI_ACCESS_TOKEN or pass --token.\n"
    wrong = invoke("--token", "pk-wrong-secret-value", "list")
    assert wrong.code == 3
    # The advice names what a CLI user can do (it named Client(access_token=...)).
    assert "--token" in wrong.err and "WRIFTAI_ACCESS_TOKEN" in wrong.err
    assert "Client(" not in wrong.err
    assert "pk-wrong-secret-value" not in wrong.out + wrong.err
    debug = invoke("--debug", "--token", "pk-wrong-secret-value", "list")
    assert debug.code == 3 and "Traceback" in debug.err
    assert "pk-wrong-secret-value" not in debug.out + debug.err


def test_token_option_wins_over_the_environment(
    invoke: Invoke, predictkit_server: ReferenceServer
) -> None:
    ran = invoke("--token", predictkit_server.token, "list", env={"WRIFTAI_ACCESS_TOKEN": "x"})
    assert ran.code == 0


def test_debug_shows_the_traceback_and_request_log(invoke: Invoke) -> None:
    ran = invoke("--debug", "get", "00000000-0000-4000-8000-000000000000")
    assert ran.code == 4
    assert "Traceback (most recent call last)" in ran.err
    assert "NotFoundError" in ran.err
    assert ran.err.rstrip().splitlines()[-1].startswith("error: ")


def test_usage_errors_are_one_line_naming_the_help(invoke: Invoke) -> None:
    ran = invoke("list", "--limit", "0")
    assert ran.code == 2
    assert ran.err == (
        "error: Invalid value for '--limit': 0 is not in the range x>=1. (see 'cli list --help')\n"
    )
    assert invoke("--bogus").err == "error: No such option '--bogus'. (see 'cli --help')\n"
    bare = invoke()
    assert bare.code == 2 and bare.err.startswith("Usage: ")
