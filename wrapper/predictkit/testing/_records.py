"""The records the server keeps: users, models (their versions are plain dicts), uploads, and
how each renders in the current API shapes (``account_id``/``name``/``display_name`` users, no
legacy keys). ``testing._store`` holds the collections of them and the operations that change them.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    account_id: str
    name: str
    display_name: str | None
    bio: str | None
    location: str | None
    company: str | None
    urls: list[str] | None
    created_at: str
    updated_at: str | None = None

    def base(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "avatar_url": f"https://avatars.example.com/{self.name}.png",
        }

    def render(self, *, details: bool = False) -> dict[str, Any]:
        body = {
            **self.base(),
            "display_name": self.display_name,
            "bio": self.bio,
            "location": self.location,
            "company": self.company,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        return {**body, "urls": self.urls} if details else body


@dataclass
class Model:
    id: str
    seq: int
    owner: User
    name: str
    visibility: str
    description: str | None
    category_slugs: list[str]
    versions: dict[int, dict[str, Any]]
    created_at: str
    updated_at: str | None = None
    overview: str | None = None
    source_url: str | None = None
    license_url: str | None = None
    paper_url: str | None = None
    predictions_count: int = 0

    def latest(self) -> dict[str, Any] | None:
        return self.versions[max(self.versions)] if self.versions else None


def render_version(
    version: dict[str, Any], *, details: bool, configuration: bool = False
) -> dict[str, Any]:
    keys = ["number", "release_notes", "created_at", "container_image_digest"]
    if details:
        keys += ["schemas", "compatibilities", "size"]
    if configuration:
        keys.append("configuration")
    return {k: copy.deepcopy(version[k]) for k in keys}


@dataclass
class Upload:
    id: str
    size: int
    mime_type: str
    part_size: int
    parts: dict[int, bytes] = field(default_factory=dict)
    signature: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    """The part URLs' query credential, as on a real pre-signed URL (see testing._uploads)."""

    @property
    def part_count(self) -> int:
        return max(1, -(-self.size // self.part_size)) if self.part_size else 1


def etag(data: bytes) -> str:
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'
