"""Upload parts: what the storage behind the API's pre-signed part URLs does, with faults.

``POST /v1/uploads`` hands out part URLs on this server (``/uploads/{id}/parts/{index}``, outside
``/v1``): no token is asked for; as on a real pre-signed URL the credential is the query's
``X-Amz-Signature`` (a wrong one is a 403 whose XML body echoes it, as S3 does). A part PUT
must carry exactly the part's bytes (``[i*part_size, min((i+1)*part_size, size))``); the answer
is an empty 200 with the part's ``ETag``, which ``complete_upload`` then checks.

Faults target parts, not operations: ``ReferenceServer.inject_part(fault, index=N)`` disturbs the
next PUTs of part N (of any upload); without ``index``, the next PUTs of any part. Supported:
``Fault.status``, ``Fault.html``, ``Fault.delay`` and ``Fault.drop`` (``after_handling=True``
stores the part, then drops the connection: the client cannot know it arrived).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from predictkit.testing._context import Context
from predictkit.testing._faults import Fault
from predictkit.testing._lifecycle import first_completed
from predictkit.testing._records import etag
from predictkit.testing._sse import ABORT_KEY

PART_FAULTS = frozenset({"status", "html", "delay", "drop"})


def part_fault_key(index: int | None) -> str:
    """The fault queue key for PUTs of part ``index`` (None: of any part)."""
    return "upload_part" if index is None else f"upload_part[{index}]"


def check_part_fault(fault: Fault, index: int | None) -> None:
    if fault.kind not in PART_FAULTS:
        raise ValueError(
            f"Fault.{fault.kind} does not apply to part uploads; use one of {sorted(PART_FAULTS)}."
        )
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise ValueError(f"index must be a part number >= 0 or None, not {index!r}")


def _detail(status: int, detail: str, retry_after: float | None = None) -> Response:
    headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
    return Response(json.dumps({"detail": detail}), status, headers, media_type="application/json")


class PartStorage:
    """The ASGI endpoint for ``PUT /uploads/{upload_id}/parts/{index}``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        index_text = scope["path_params"]["index"]
        index = int(index_text) if index_text.isdigit() else None
        fault = self.ctx.faults.take(part_fault_key(index)) if index is not None else None
        fault = fault or self.ctx.faults.take(part_fault_key(None))
        if fault is None or fault.kind == "delay":
            if fault is not None:
                closing = self.ctx.closing.wait()
                await first_completed(asyncio.sleep(fault.seconds), closing, seconds=fault.seconds)
            response = await self._store(scope, receive)
        elif fault.kind == "status":
            response = _detail(fault.status_code, fault.detail, fault.retry_after)
        elif fault.kind == "html":
            page = f"<html><body><h1>{fault.status_code} Bad Gateway</h1></body></html>"
            response = Response(page, status_code=fault.status_code, media_type="text/html")
        else:  # drop
            if fault.after_handling:
                await self._store(scope, receive)
            await scope[ABORT_KEY]()
            return
        await response(scope, receive, send)

    async def _store(self, scope: Scope, receive: Receive) -> Response:
        upload = self.ctx.store.uploads.get(scope["path_params"]["upload_id"])
        index_text = scope["path_params"]["index"]
        if upload is None or not index_text.isdigit() or int(index_text) >= upload.part_count:
            return _detail(404, "Upload part not found.")
        index = int(index_text)
        signature = parse_qs(scope["query_string"].decode()).get("X-Amz-Signature", [""])[0]
        if not hmac.compare_digest(signature.encode(), upload.signature.encode()):
            # Like S3, the error body echoes the signature it got: clients must not show it.
            body = f"<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>{signature}"
            return Response(
                body + "</SignatureProvided></Error>", 403, media_type="application/xml"
            )
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        data = b"".join(chunks)
        expected = min(upload.part_size, upload.size - index * upload.part_size)
        if len(data) != max(0, expected):
            return _detail(400, f"Part {index} must be {expected} bytes, not {len(data)}.")
        upload.parts[index] = data
        return Response(b"", headers={"etag": etag(data)})
