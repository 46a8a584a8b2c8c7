"""The server's state: seeded catalogue, predictions, variables, uploads and served files.

Everything here runs on the server's event loop, so it needs no locks; the test thread reaches it
only through ``ReferenceServer`` (which hops onto the loop). The records themselves, and how
each renders, are in ``testing._records``.
"""

from __future__ import annotations

import asyncio
import copy
import secrets
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from predictkit.testing import _demo
from predictkit.testing._http_errors import ApiError
from predictkit.testing._lifecycle import Prediction, Webhook, utc_now
from predictkit.testing._records import Model, Upload, User, etag, render_version
from predictkit.testing._validation import Loc, ValidationFailed, problem


def _ignore(prediction: Prediction) -> None:
    """A change listener that does nothing."""


UPLOAD_PART_SIZE = 256 * 1024
MAX_UPLOAD_SIZE = 64 * 1024 * 1024


class Store:
    """All mutable state; ``origin`` is the server's ``http://host:port`` for file URLs."""

    def __init__(self, origin: str, *, max_predictions: int) -> None:
        self.origin = origin
        self.max_predictions = max_predictions
        self.tasks: set[asyncio.Task[None]] = set()
        self.on_prediction_change: Callable[[Prediction], None] = _ignore
        self.seed()

    # --- lifecycle ----------------------------------------------------------------------------

    def seed(self) -> None:
        """(Re)build the seeded catalogue and forget everything created since."""
        self._seq = 0
        self.users = [
            User(account_id=_demo.stable_id("user/" + u["name"]), **u) for u in _demo.USERS
        ]
        self.hardware = copy.deepcopy(_demo.HARDWARE)
        self.categories = copy.deepcopy(_demo.CATEGORIES)
        self.models: list[Model] = []
        for m in _demo.MODELS:
            self.models.append(
                Model(
                    id=_demo.stable_id(f"model/{m['owner']}/{m['name']}"),
                    seq=self._next_seq(),
                    owner=self.user(m["owner"]),
                    name=m["name"],
                    visibility=m["visibility"],
                    description=m["description"],
                    category_slugs=list(m["categories"]),
                    versions={v["number"]: copy.deepcopy(v) for v in m["versions"]},
                    created_at=m["versions"][0]["created_at"],
                )
            )
        self.variables: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, Upload] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.predictions: dict[str, Prediction] = {}

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``coro`` as a tracked background task (cancelled by ``cancel_tasks``)."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def track(self, task: asyncio.Task[None]) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def cancel_tasks(self) -> None:
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def reset(self) -> None:
        for prediction in self.predictions.values():
            prediction.on_change = _ignore  # forgotten predictions send no more webhooks
        await self.cancel_tasks()
        self.seed()

    # --- users --------------------------------------------------------------------------------

    @property
    def me(self) -> User:
        return self.users[0]

    def find_user(self, name: str) -> User | None:
        return next((u for u in self.users if u.name == name), None)

    def user(self, name: str) -> User:
        found = self.find_user(name)
        if found is None:
            raise ApiError(404, "User not found.")
        return found

    # --- models -------------------------------------------------------------------------------

    def visible(self, model: Model, authenticated: bool) -> bool:
        return model.visibility == "public" or (authenticated and model.owner is self.me)

    def model(self, owner: str, name: str, *, authenticated: bool) -> Model:
        found = next((m for m in self.models if m.owner.name == owner and m.name == name), None)
        if found is None or not self.visible(found, authenticated):
            raise ApiError(404, "Model not found.")
        return found

    def own_model(self, owner: str, name: str) -> Model:
        """A model the token's user may change: 404 when unseen, 403 when someone else's."""
        found = self.model(owner, name, authenticated=True)
        if found.owner is not self.me:
            raise ApiError(403, "You do not have permission to perform this action.")
        return found

    def version(self, model: Model, number: int | None) -> dict[str, Any]:
        if number is None:
            latest = model.latest()
            if latest is None:
                raise ApiError(404, "Model has no versions.")
            return latest
        if number not in model.versions:
            raise ApiError(404, "Model version not found.")
        return model.versions[number]

    def render_model(self, model: Model, *, details: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": model.id,
            "name": model.name,
            "created_at": model.created_at,
            "visibility": model.visibility,
            "description": model.description,
            "updated_at": model.updated_at,
            "owner": model.owner.base(),
            "predictions_count": model.predictions_count,
            "categories": [
                {"name": c["name"], "slug": c["slug"]}
                for c in self.categories
                if c["slug"] in model.category_slugs
            ],
            "cover_image_url": None,
        }
        if details:
            latest = model.latest()
            body |= {
                "overview": model.overview,
                "latest_version": render_version(latest, details=True) if latest else None,
                "source_url": model.source_url,
                "license_url": model.license_url,
                "paper_url": model.paper_url,
            }
        return body

    def check_categories(self, slugs: list[str]) -> list[str]:
        known = {c["slug"] for c in self.categories}
        problems = [
            problem(("body", "category_slugs", i), f"Unknown category: {slug}", "value_error")
            for i, slug in enumerate(slugs)
            if slug not in known
        ]
        if problems:
            raise ValidationFailed(problems)
        return slugs

    def create_model(self, fields: dict[str, Any]) -> Model:
        if any(m.owner is self.me and m.name == fields["name"] for m in self.models):
            raise ApiError(409, "You already have a model with this name.")
        model = Model(
            id=str(uuid.uuid4()),
            seq=self._next_seq(),
            owner=self.me,
            name=fields["name"],
            visibility=fields.get("visibility", "private"),
            description=fields.get("description"),
            category_slugs=self.check_categories(fields.get("category_slugs", [])),
            versions={},
            created_at=utc_now(),
            overview=fields.get("overview"),
            source_url=fields.get("source_url"),
            license_url=fields.get("license_url"),
            paper_url=fields.get("paper_url"),
        )
        self.models.append(model)
        return model

    def update_model(self, model: Model, fields: dict[str, Any]) -> Model:
        new_name = fields.get("name", model.name)
        if new_name != model.name and any(
            m.owner is self.me and m.name == new_name for m in self.models
        ):
            raise ApiError(409, "You already have a model with this name.")
        if "category_slugs" in fields:
            model.category_slugs = self.check_categories(fields["category_slugs"])
        for key in (
            "name",
            "visibility",
            "description",
            "overview",
            "source_url",
            "license_url",
            "paper_url",
        ):
            if key in fields:
                setattr(model, key, fields[key])
        model.updated_at = utc_now()
        return model

    def create_version(self, model: Model, fields: dict[str, Any]) -> dict[str, Any]:
        previous = model.latest()
        configuration = fields.get("configuration") or (
            copy.deepcopy(previous["configuration"])
            if previous
            else {"hardware_identifier": "cpu", "variable_names": []}
        )
        self.check_configuration(configuration, ("body", "configuration"))
        number = max(model.versions, default=0) + 1
        compat = dict.fromkeys(_demo.MODELS[0]["versions"][0]["compatibilities"], False)
        version = {
            "number": number,
            "release_notes": fields["release_notes"],
            "created_at": utc_now(),
            "container_image_digest": fields["container_image_digest"],
            "schemas": copy.deepcopy(fields["schemas"]),
            "compatibilities": compat | fields.get("compatibilities", {}),
            "size": 0,
            "configuration": copy.deepcopy(configuration),
        }
        model.versions[number] = version
        model.updated_at = version["created_at"]
        return version

    def check_configuration(self, configuration: dict[str, Any], loc: Loc) -> None:
        """422 when the configuration names hardware or variables that do not exist."""
        problems = []
        hardware = configuration.get("hardware_identifier")
        if hardware is not None and hardware not in {h["identifier"] for h in self.hardware}:
            msg = f"Unknown hardware: {hardware}"
            problems.append(problem((*loc, "hardware_identifier"), msg, "value_error"))
        for i, name in enumerate(configuration.get("variable_names", [])):
            if name not in self.variables:
                msg = f"Unknown variable: {name}"
                problems.append(problem((*loc, "variable_names", i), msg, "value_error"))
        if problems:
            raise ValidationFailed(problems)

    # --- predictions --------------------------------------------------------------------------

    def prediction(self, prediction_id: str) -> Prediction:
        found = self.predictions.get(prediction_id)
        if found is None:
            raise ApiError(404, "Prediction not found.")
        return found

    def _make_room(self) -> None:
        """Evict the oldest finished predictions to stay under ``max_predictions``; else 503."""
        excess = len(self.predictions) - self.max_predictions + 1
        if excess <= 0:
            return
        finished = [p.id for p in self.predictions.values() if p.terminal][:excess]
        if len(finished) < excess:
            raise ApiError(
                503, "Too many predictions in progress; retry later.", {"retry-after": "1"}
            )
        for prediction_id in finished:
            del self.predictions[prediction_id]

    def create_prediction(
        self,
        model: Model,
        version: dict[str, Any],
        payload: dict[str, Any],
        webhook: Webhook | None,
    ) -> Prediction:
        self._make_room()
        prediction = Prediction(
            id=str(uuid.uuid4()),
            seq=self._next_seq(),
            owner=model.owner.name,
            name=model.name,
            version_number=version["number"],
            input=payload,
            webhook=webhook,
            stream_available=payload.get("stream_available") is not False,
            on_change=self.on_prediction_change,
        )
        self.predictions[prediction.id] = prediction
        model.predictions_count += 1
        run = _demo.demo_model(version["schemas"]["prediction"]["input"], self.publish_file)
        self.track(prediction.start(run))
        self.on_prediction_change(prediction)
        return prediction

    # --- files and uploads --------------------------------------------------------------------

    def publish_file(self, text: str) -> str:
        """Serve ``text`` as text/plain at a new URL outside /v1 (like a signed URL)."""
        file_id = secrets.token_urlsafe(12)
        self.files[file_id] = (text.encode(), "text/plain; charset=utf-8")
        return f"{self.origin}/files/{file_id}"

    def create_upload(self, size: int, mime_type: str) -> dict[str, Any]:
        if size > MAX_UPLOAD_SIZE:
            raise ApiError(413, f"Files larger than {MAX_UPLOAD_SIZE} bytes are not accepted.")
        upload = Upload(
            secrets.token_urlsafe(12), size, mime_type, part_size=min(size, UPLOAD_PART_SIZE)
        )
        self.uploads[upload.id] = upload
        urls = [
            f"{self.origin}/uploads/{upload.id}/parts/{i}?X-Amz-Signature={upload.signature}"
            for i in range(upload.part_count)
        ]
        return {"urls": urls, "id": upload.id, "part_size": upload.part_size}

    def complete_upload(self, upload_id: str, etags: list[str]) -> str:
        upload = self.uploads.get(upload_id)
        if upload is None:
            raise ApiError(404, "Upload not found.")
        expected = [etag(upload.parts[i]) for i in range(upload.part_count) if i in upload.parts]
        data = b"".join(upload.parts[i] for i in range(upload.part_count) if i in upload.parts)
        if etags != expected or len(expected) != upload.part_count or len(data) != upload.size:
            msg = "The ETags do not match the uploaded parts (all parts, in order)."
            raise ValidationFailed([problem(("body", "etags"), msg, "value_error")])
        del self.uploads[upload_id]
        self.files[upload_id] = (data, upload.mime_type)
        return f"{self.origin}/files/{upload_id}"
