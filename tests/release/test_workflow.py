""".github/workflows/release.yml cannot run here; its structure is checked instead (issue 12):
a tag triggers it, one job checks and builds, another publishes the very files built, through
trusted publishing and without any stored secret, and every nox session it runs exists."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from ._project import ROOT, nox_sessions, noxfile_constant

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
PUBLISH_ACTION = "pypa/gh-action-pypi-publish"


def load() -> dict[Any, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    return workflow.get("on", workflow.get(True))


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def job_using(workflow: dict[str, Any], action: str) -> tuple[str, dict[str, Any]]:
    found = [
        (name, job)
        for name, job in workflow["jobs"].items()
        if any(uses(step) == action for step in job["steps"])
    ]
    assert len(found) == 1, f"exactly one job must use {action}: {found}"
    return found[0]


def nox_invocations(script: str) -> list[list[str]]:
    """The session names of each `python -m nox ...` / `nox ...` command in a run script
    ([] for a bare `nox`, which runs the default sessions)."""
    commands = []
    for line in script.splitlines():
        for command in re.split(r"&&|;|\|\|", line):
            words = shlex.split(command, comments=True)
            if "nox" not in words or words[0] not in {"nox", "python", "python3"}:
                continue
            if words[0] != "nox" and words[1:3] != ["-m", "nox"]:
                continue
            args = words[words.index("nox") + 1 :]
            args = args[: args.index("--")] if "--" in args else args
            sessions: list[str] = []
            taking = False  # -s takes every name up to the next option, as nox's parser does
            for arg in args:
                if arg.startswith("-"):
                    taking = arg in {"-s", "-e", "--session", "--sessions"}
                elif taking:
                    sessions.append(arg)
            commands.append(sessions)
    return commands


def all_run_scripts(workflow: dict[str, Any]) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_only_a_version_tag_triggers_a_release() -> None:
    on = triggers(load())
    assert set(on) == {"push"}, on
    assert set(on["push"]) == {"tags"}, "no branch pushes, no pull requests"
    assert on["push"]["tags"] and all(t.startswith("v") for t in on["push"]["tags"])


def test_nothing_holds_a_long_lived_token() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text
    for job in load()["jobs"].values():
        for step in job["steps"]:
            assert not {"password", "user", "api-token"} & set(step.get("with", {})), step


def test_only_the_publish_job_may_mint_an_oidc_token() -> None:
    workflow = load()
    assert workflow["permissions"] == {}, "every job states the permissions it needs"
    publish_name, publish = job_using(workflow, PUBLISH_ACTION)
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    for name, job in workflow["jobs"].items():
        if name != publish_name:
            assert "id-token" not in job.get("permissions", {}), name
            assert "write" not in job.get("permissions", {}).values(), name


def test_publish_uploads_the_files_the_build_job_checked() -> None:
    workflow = load()
    _, publish = job_using(workflow, PUBLISH_ACTION)
    build_name, build = job_using(workflow, "actions/upload-artifact")
    assert publish["needs"] in (build_name, [build_name])
    # The publish job builds nothing: it downloads the artifact and uploads it.
    assert [uses(step) for step in publish["steps"]] == [
        "actions/download-artifact",
        PUBLISH_ACTION,
    ]
    upload = next(s for s in build["steps"] if uses(s) == "actions/upload-artifact")
    download = publish["steps"][0]
    assert download["with"]["name"] == upload["with"]["name"]
    assert upload["with"]["path"].rstrip("/") == "dist"  # where `nox -s build` leaves the files
    assert download["with"]["path"].rstrip("/") == "dist"  # the publish action's default
    assert "with" not in publish["steps"][1] or "packages-dir" not in publish["steps"][1]["with"]


def test_the_build_job_checks_the_tag_then_runs_every_ci_check_including_build() -> None:
    workflow = load()
    _, build = job_using(workflow, "actions/upload-artifact")
    runs = [shlex.split(step["run"]) for step in build["steps"] if "run" in step]
    checks = [r for r in runs if "nox" in r and "-s" not in r]
    assert checks == [["python", "-m", "nox"]], "the README's check command, all sessions"
    assert "build" in noxfile_constant("nox.options.sessions")
    release_check = [r for r in runs if r[-3:-1] == ["release_check", "--"]]
    assert release_check == [
        ["python", "-m", "nox", "-s", "release_check", "--", "$GITHUB_REF_NAME"]
    ]
    assert runs.index(release_check[0]) < runs.index(checks[0]), "check the tag before building"
    pythons = str(next(s for s in build["steps"] if uses(s) == "actions/setup-python")["with"])
    assert all(v in pythons for v in noxfile_constant("PYTHONS")), pythons


def test_every_nox_session_the_workflow_runs_exists() -> None:
    known = {name for names in nox_sessions().values() for name in names}
    invoked = [s for script in all_run_scripts(load()) for c in nox_invocations(script) for s in c]
    assert invoked, "the workflow runs nox sessions"
    assert set(invoked) <= known, set(invoked) - known


@pytest.mark.parametrize(
    ("script", "sessions"),
    [
        ("python -m nox", [[]]),
        ('python -m nox -s release_check -- "$GITHUB_REF_NAME"', [["release_check"]]),
        ("pip install nox && nox -s lint tests-3.12", [["lint", "tests-3.12"]]),
        ("nox --session build -r -s lint  # comment", [["build", "lint"]]),
        ("echo nox -s fake", []),
    ],
)
def test_nox_invocations_are_read_like_nox_reads_them(
    script: str, sessions: list[list[str]]
) -> None:
    assert nox_invocations(script) == sessions


def test_every_action_is_pinned_to_a_commit() -> None:
    for job in load()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_default_sessions_exist() -> None:
    assert set(noxfile_constant("nox.options.sessions")) <= set(nox_sessions())
