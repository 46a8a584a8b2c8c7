"""The resource commands end to end against the reference server: models, versions, hardware,
search, whoami, variables. They need the generated resources on Client (client.models, ...);
until those are in this tree the tests skip, saying so."""

from __future__ import annotations

import json

from predictkit.testing import ReferenceServer

from .conftest import Invoke


def rows(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()[1:]]


def test_models_list_get_and_versions(invoke: Invoke) -> None:
    listed = invoke("models", "list", "--limit", "50")
    assert listed.code == 0
    assert listed.out.splitlines()[0].split("\t") == [
        "OWNER", "NAME", "VISIBILITY", "PREDICTIONS", "DESCRIPTION",
    ]  # fmt: skip
    names = {f"{r[0]}/{r[1]}" for r in rows(listed.out)}
    assert {"demo/echo", "lena/chat"} <= names
    assert len(rows(invoke("models", "list", "--limit", "2").out)) == 2
    assert {r[0] for r in rows(invoke("models", "list", "--owner", "acme").out)} == {"acme"}

    got = invoke("models", "get", "demo/echo")
    assert got.code == 0
    assert got.out.splitlines()[:2] == ["owner        demo", "name         echo"]
    assert json.loads(invoke("models", "get", "demo/echo", "--json").out)["name"] == "echo"

    versions = invoke("models", "versions", "demo/echo")
    assert sorted(r[0] for r in rows(versions.out)) == ["1", "2"]
    assert invoke("models", "get", "demo/nothing").code == 4
    assert invoke("models", "get", "not a model").code == 2


def test_hardware_search_whoami(invoke: Invoke) -> None:
    hardware = invoke("hardware")
    assert hardware.code == 0
    assert {r[0] for r in rows(hardware.out)} >= {"cpu", "gpu-t4", "gpu-a100"}
    assert "cpu" in [h["identifier"] for h in json.loads(invoke("hardware", "--json").out)]

    found = invoke("search", "chat")
    assert ["lena", "chat"] in [r[:2] for r in rows(found.out)]
    users = invoke("search", "len", "--users")
    assert ["lena", "Lena Ortiz"] in rows(users.out)

    me = invoke("whoami")
    assert me.code == 0
    assert me.out.splitlines()[:2] == ["name          demo", "display_name  Demo User"]
    assert invoke("whoami", env={"WRIFTAI_ACCESS_TOKEN": "pk-nope"}).code == 3


def test_variables_create_list_update_delete_never_echo_a_secret(
    invoke: Invoke, predictkit_server: ReferenceServer
) -> None:
    created = invoke(
        "variables", "create", "SERVICE_KEY", "--key", "SERVICE_API_KEY", "--value", "-",
        "--secret", input="k-123-secret\n",
    )  # fmt: skip
    assert (created.code, created.out) == (0, "created variable SERVICE_KEY\n")
    plain = invoke("variables", "create", "REGION", "--key", "REGION", "--value", "eu")
    assert plain.code == 0
    listed = rows(invoke("variables", "list").out)
    assert ["SERVICE_KEY", "SERVICE_API_KEY", "", "True"] in listed
    assert ["REGION", "REGION", "eu", "False"] in listed

    assert invoke("variables", "update", "REGION", "--value", "us").code == 0
    assert ["REGION", "REGION", "us", "False"] in rows(invoke("variables", "list").out)
    assert invoke("variables", "update", "REGION").code == 2  # nothing to change
    assert invoke("variables", "create", "X", "--key", "X").code == 2  # no value

    assert invoke("variables", "delete", "REGION").out == "deleted variable REGION\n"
    assert invoke("variables", "delete", "REGION").code == 4
    everything = "".join(r.out + r.err for r in [created, plain])
    assert "k-123-secret" not in everything
    assert all(
        b"k-123-secret" not in r.body or r.method == "POST" for r in predictkit_server.requests
    )
