"""The CLI as a user runs it: a subprocess on a terminal (a pty: live status, colours, tables)
and on pipes (plain, stable text), plus Ctrl-C during ``run``. Synchronisation is on what the
CLI prints and on the server's state, never on sleeps."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from predictkit import Client, WaitOptions, __version__
from predictkit.testing import ReferenceServer

from .conftest import READ_BOUND, cli_command, cli_env, read_lines, run_in_pty, run_piped

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_run_on_a_terminal_shows_a_live_status_and_progress(
    predictkit_server: ReferenceServer, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG" * 1000)
    code, screen = run_in_pty(
        cli_env(predictkit_server), "run", "demo/echo", "-i", "sleep=0.5", "-i", f"img=@{photo}"
    )
    assert code == 0
    assert "\x1b[" in screen  # colours and cursor control: it knows it is on a terminal
    plain = ANSI.sub("", screen).replace("\r", "\n")
    assert "uploading 1 file" in plain and "4.0/4.0 kB" in plain  # the progress bar, at its end
    # The live line, with time: which running statuses it shows depends on what the wait sees
    # (a stream may carry it from pending straight to the end), so any of them.
    assert re.search(rf"prediction {UUID} (pending|starting|started) \d+\.\ds", plain)
    assert re.search(rf"^prediction {UUID} succeeded \d+\.\ds$", plain, re.M)  # what stays
    assert '"sleep": 0.5' in plain


def test_run_on_pipes_is_plain_stable_text(predictkit_server: ReferenceServer) -> None:
    ran = run_piped(cli_env(predictkit_server), "run", "demo/echo", "-i", "prompt=hi")
    assert ran.code == 0
    assert json.loads(ran.out) == {"prompt": "hi"}
    lines = ran.err.splitlines()
    assert re.fullmatch(rf"prediction ({UUID}) created", lines[0])
    assert re.fullmatch(rf"prediction ({UUID}) succeeded", lines[-1])
    assert "\x1b" not in ran.out + ran.err


def test_list_and_errors_on_a_terminal(predictkit_server: ReferenceServer) -> None:
    env = cli_env(predictkit_server)
    pid = run_piped(env, "run", "demo/echo", "-i", "x=1", "--no-wait").out.strip()
    code, screen = run_in_pty(env, "list", "--limit", "3", columns=80)
    assert code == 0
    plain = ANSI.sub("", screen)
    assert re.search(r"^ID\s+MODEL\s+STATUS\s+CREATED", plain, re.M)
    assert re.search(rf"^{pid}  demo/echo:2 ", plain, re.M)  # whole, however narrow
    assert "\t" not in plain
    code, screen = run_in_pty(env, "list", "--status", "abandoned")
    assert (code, ANSI.sub("", screen).split()) == (0, ["ID", "MODEL", "STATUS", "CREATED"])
    code, screen = run_in_pty(env, "get", "00000000-0000-4000-8000-000000000000")
    assert code == 4
    assert "\x1b[1;31merror: \x1b[0m" in screen  # in red, still one line
    assert "Traceback" not in screen
    assert len(ANSI.sub("", screen).strip().splitlines()) == 1


def test_no_color_keeps_the_terminal_layout_without_colours(
    predictkit_server: ReferenceServer,
) -> None:
    code, screen = run_in_pty(
        cli_env(predictkit_server, NO_COLOR="1"), "get", "00000000-0000-4000-8000-000000000000"
    )
    assert code == 4
    assert "\x1b[1;31m" not in screen and "error: " in screen


def _start_slow_run(env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``predictkit run`` on a 30 s prediction, once it says the prediction exists."""
    proc = subprocess.Popen(
        cli_command("run", "demo/echo", "-i", "sleep=30", *extra),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    line = read_lines(proc.stderr.fileno(), 1)[0]
    match = re.fullmatch(rf"prediction ({UUID}) created\n", line)
    assert match, "expected the 'created' line first"
    return proc, match[1]


def test_ctrl_c_during_run_cancels_the_prediction(
    predictkit_server: ReferenceServer, predictkit_client: Client
) -> None:
    proc, pid = _start_slow_run(cli_env(predictkit_server))
    proc.send_signal(signal.SIGINT)
    out, err = (b.decode() for b in proc.communicate(timeout=READ_BOUND))
    assert proc.returncode == 130
    assert out == ""
    assert err.splitlines()[-1] == f"error: interrupted; cancelled prediction {pid}"
    assert "Traceback" not in err
    final = predictkit_client.predictions.wait(pid, WaitOptions(timeout=READ_BOUND))
    assert final.status == "cancelled"
    cancels = [r for r in predictkit_server.requests if r.operation_id == "cancel_prediction"]
    assert [r.path.split("/")[-2] for r in cancels] == [pid]


def test_ctrl_c_with_detach_leaves_it_running_and_prints_its_id(
    predictkit_server: ReferenceServer, predictkit_client: Client
) -> None:
    proc, pid = _start_slow_run(cli_env(predictkit_server), "--detach-on-interrupt")
    proc.send_signal(signal.SIGINT)
    out, err = (b.decode() for b in proc.communicate(timeout=READ_BOUND))
    assert proc.returncode == 130
    assert out == f"{pid}\n"
    assert err.splitlines()[-1] == f"error: interrupted; prediction {pid} is still running"
    assert not any(r.operation_id == "cancel_prediction" for r in predictkit_server.requests)
    assert predictkit_client.predictions.get(pid).status in {"starting", "started"}
    predictkit_client.predictions.cancel(pid)


def test_python_dash_m_and_the_console_script_both_run() -> None:
    script = shutil.which("predictkit", path=str(Path(sys.executable).parent))
    assert script is not None, "the predictkit console script is installed with the package"
    for command in ([sys.executable, "-m", "predictkit"], [script]):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, check=False, timeout=READ_BOUND
        )
        assert (done.returncode, done.stdout) == (0, f"predictkit, version {__version__}\n")


def test_a_closed_stdout_ends_the_command_quietly(predictkit_server: ReferenceServer) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `predictkit list | head -0`: nobody reads
    try:
        done = subprocess.run(
            cli_command("list"),
            env=cli_env(predictkit_server),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=READ_BOUND,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")


def test_stream_on_a_terminal_prints_the_chunks_once(predictkit_server: ReferenceServer) -> None:
    code, screen = run_in_pty(
        cli_env(predictkit_server),
        "run", "demo/echo", "-i", 'stream=["a lake", " at dawn"]', "-i", "sleep=0.2", "--stream",
    )  # fmt: skip
    assert code == 0
    plain = ANSI.sub("", screen).replace("\r", "\n")
    assert plain.count("a lake at dawn\n") == 1
    assert '"a lake"' not in plain  # the final output (the list) is not printed again
