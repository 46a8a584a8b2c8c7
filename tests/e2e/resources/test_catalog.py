"""client.models, client.models.versions, client.users, client.authenticated_user,
client.hardware, client.model_categories and client.search, end to end, sync and async."""

from __future__ import annotations

import pytest
from predictkit import NotFoundError, ValidationError
from predictkit.testing import ReferenceServer
from predictkit_api.models import Schemas

from .conftest import Resources

PUBLIC_MODELS = {
    "demo/echo",
    "demo/validated",
    "acme/summarize",
    "acme/upscale",
    "lena/chat",
}


def _ref(model: object) -> str:
    return f"{model.owner.name}/{model.name}"  # type: ignore[attr-defined]


def test_models_list_walks_every_page(res: Resources, predictkit_server: ReferenceServer) -> None:
    models = res.items("models.list", page_size=5)
    assert {_ref(m) for m in models} >= PUBLIC_MODELS
    assert "demo/private-notes" not in {_ref(m) for m in models}  # lists public models only
    assert len(models) == len({m.id for m in models})
    sent = [r for r in predictkit_server.requests if r.operation_id == "list_models"]
    assert [r.query.get("page_size") for r in sent] == [["5"]] * len(sent)


def test_models_list_limit_and_cursor(res: Resources) -> None:
    for n in range(3):  # 8 public models: more than one page of 5
        res("models.create", name=f"extra-{n}", visibility="public")
    assert len(res.items("models.list", limit=2)) == 2
    assert len(res.items("models.list", page_size=5)) == len(PUBLIC_MODELS) + 3
    first = res.first_page("models.list", page_size=5)
    assert first.next_cursor is not None
    resumed = res.first_page("models.list", page_size=5, cursor=first.next_cursor)
    assert {m.id for m in resumed.items}.isdisjoint({m.id for m in first.items})


def test_models_list_sorts_and_filters(res: Resources) -> None:
    models = res.items("models.list", sort_by="created_at", sort_direction="asc")
    stamps = [m.created_at for m in models]
    assert stamps == sorted(stamps)
    tagged = res.items("models.list", category_slugs=["utilities"])
    assert tagged and all("utilities" in [c.slug for c in m.categories] for m in tagged)


def test_models_list_owner(res: Resources) -> None:
    assert {m.name for m in res.items("models.list_owner", "acme")} == {"summarize", "upscale"}


def test_models_get_parses_the_reference(res: Resources) -> None:
    model = res("models.get", "demo/echo")
    assert (model.owner.name, model.name) == ("demo", "echo")
    assert model.latest_version.number == 2


@pytest.mark.parametrize("bad", ["demo", "demo/echo:1", "demo/echo/x", "../etc"])
def test_models_get_refuses_a_bad_reference_before_sending(
    res: Resources, predictkit_server: ReferenceServer, bad: str
) -> None:
    with pytest.raises(ValueError, match=r"demo|etc|version"):
        res("models.get", bad)
    assert predictkit_server.requests == []


def test_models_create_update_delete(res: Resources) -> None:
    created = res("models.create", name="scratch", visibility="private", description="tmp")
    assert (created.owner.name, created.name, created.visibility) == ("demo", "scratch", "private")
    updated = res("models.update", "demo/scratch", description="changed", name="scratch2")
    assert (updated.name, updated.description) == ("scratch2", "changed")
    assert res("models.get", "demo/scratch2").description == "changed"
    assert res("models.delete", "demo/scratch2") is None
    with pytest.raises(NotFoundError):
        res("models.get", "demo/scratch2")


def test_models_create_conflict_is_typed(res: Resources) -> None:
    with pytest.raises(Exception, match="409") as caught:
        res("models.create", name="echo")
    assert type(caught.value).__name__ == "ConflictError"


SCHEMAS = Schemas.from_dict({"prediction": {"input": {"type": "object"}, "output": {}}})


def test_versions_list_get(res: Resources) -> None:
    numbers = [v.number for v in res.items("models.versions.list", "lena/chat")]
    assert sorted(numbers) == [1, 2, 3]
    version = res("models.versions.get", "lena/chat:2")
    assert version.number == 2
    with pytest.raises(ValueError, match="needs a version"):
        res("models.versions.get", "lena/chat")
    with pytest.raises(NotFoundError):
        res("models.versions.get", "lena/chat:9")


def test_versions_create_configure_delete(res: Resources) -> None:
    created = res(
        "models.versions.create",
        "demo/echo",
        release_notes="Third.",
        schemas=SCHEMAS,
        container_image_digest="sha256:" + "a" * 64,
    )
    assert created.number == 3
    ref = f"demo/echo:{created.number}"
    assert res("models.versions.get_configuration", ref).hardware_identifier == "cpu"
    configured = res("models.versions.update_configuration", ref, hardware_identifier="gpu-t4")
    assert configured.hardware_identifier == "gpu-t4"
    assert res("models.versions.get_configuration", ref).hardware_identifier == "gpu-t4"
    with pytest.raises(ValidationError, match="variable_names"):
        res("models.versions.update_configuration", ref, variable_names=["NOPE"])
    assert res("models.versions.delete", ref) is None
    with pytest.raises(NotFoundError):
        res("models.versions.get", ref)


def test_users(res: Resources) -> None:
    assert [u.name for u in res.items("users.list")] == ["demo", "acme", "lena"]
    assert [u.name for u in res.items("users.list", sort_direction="desc")] == [
        "lena",
        "acme",
        "demo",
    ]
    acme = res("users.get", "acme")
    assert (acme.name, acme.company) == ("acme", "Acme")
    with pytest.raises(NotFoundError):
        res("users.get", "nobody")


def test_authenticated_user(res: Resources) -> None:
    me = res("authenticated_user.get")
    assert me.name == "demo"
    updated = res("authenticated_user.update", bio="Changed bio.", location=None)
    assert (updated.bio, updated.location) == ("Changed bio.", None)
    assert res("authenticated_user.get").bio == "Changed bio."
    mine = {m.name for m in res.items("authenticated_user.list_models")}
    assert {"echo", "validated", "private-notes"} <= mine
    assert "summarize" not in mine


def test_hardware_and_categories(res: Resources) -> None:
    assert {h.identifier for h in res.items("hardware.list")} == {"cpu", "gpu-t4", "gpu-a100"}
    slugs = {c.slug for c in res.items("model_categories.list")}
    assert slugs == {"text-generation", "image-generation", "audio", "utilities"}


def test_search(res: Resources) -> None:
    assert {m.name for m in res.items("search.models", q="summar")} == {"summarize"}
    assert [u.name for u in res.items("search.users", q="len")] == ["lena"]
    assert res.items("search.users", q="zzz-no-such") == []
