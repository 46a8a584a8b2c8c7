"""The ASGI layer in front of the routes: what every request goes through, in this order.

1. A request id, and an entry in the request log (headers with the token redacted).
2. The body is read, up to ``max_body_bytes`` kept (the rest drained, never parsed).
3. An injected fault for the operation, if any (see ``Fault``).
4. For API paths (``/v1/...``): the rate limit window (429), the bearer token (401, except the
   public catalogue reads, which also work anonymously), then the body limit (413).
5. The routes. Every response gets ``x-request-id`` and ``x-ratelimit-*`` headers.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import uuid
import zlib
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from predictkit.testing._context import Context
from predictkit.testing._faults import Fault
from predictkit.testing._lifecycle import first_completed
from predictkit.testing._ratelimit import WindowState
from predictkit.testing._sse import ABORT_KEY, CUT_AFTER_KEY, CUT_MID_EVENT_KEY

AUTHENTICATED_KEY = "predictkit.authenticated"

# Catalogue reads that also answer without a token (a wrong token is still 401).
PUBLIC_OPERATIONS = frozenset(
    {
        "list_models",
        "list_owner_models",
        "get_model",
        "list_model_versions",
        "get_model_version",
        "list_model_categories",
        "list_hardware",
        "list_users",
        "get_user",
        "search_models",
        "search_users",
    }
)

_HTML_PAGE = (
    "<html><head><title>{code} Bad Gateway</title></head><body>"
    "<center><h1>{code} Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


def _start(status: int, headers: dict[str, str], length: int) -> Message:
    pairs = [(k.encode(), v.encode()) for k, v in headers.items()]
    pairs.append((b"content-length", str(length).encode()))
    return {"type": "http.response.start", "status": status, "headers": pairs}


async def _respond(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    await send(_start(status, headers, len(body)))
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _error(
    send: Send, status: int, detail: str, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await _respond(send, status, body, {"content-type": "application/json", **(headers or {})})


class Gate:
    def __init__(
        self,
        app: Starlette,
        ctx: Context,
        operation_ids: frozenset[str],
        fault_targets: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.operation_ids = operation_ids
        self.fault_targets = fault_targets | operation_ids

    def _match(self, scope: Scope) -> tuple[str | None, list[str]]:
        """The name of the route this request hits (an operation id, or a route faults may
        target, like file downloads), and the methods its path allows."""
        allowed: list[str] = []
        for route in self.app.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                name = getattr(route, "name", None)
                return (name if name in self.fault_targets else None), []
            if match is Match.PARTIAL:
                allowed += sorted(getattr(route, "methods", None) or ())
        return None, allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ctx = self.ctx
        target, allowed = self._match(scope)
        op = target if target in self.operation_ids else None
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        entry = ctx.log.open(scope["method"], scope["path"], op, query, headers)
        request_id = str(uuid.uuid4())
        window: list[WindowState] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state = window[0] if window else ctx.window.peek()
                extra = {"x-request-id": request_id, **state.headers()}
                pairs = [(k.encode(), v.encode()) for k, v in extra.items()]
                message = {**message, "headers": [*message.get("headers", []), *pairs]}
                ctx.log.set_status(entry, message["status"])
            await send(message)

        body, too_large = await self._read_body(receive, headers)
        ctx.log.set_body(entry, body)
        client = scope.get("client")

        async def abort() -> None:
            await ctx.connections.close((client[0], client[1]) if client else None)

        async def handle(scope: Scope, send: Send) -> None:
            refusal = self._refusal(
                scope, op=op, allowed=allowed, headers=headers, too_large=too_large, window=window
            )
            if refusal is not None:
                await _error(send, *refusal)
                return
            authenticated = self._authenticate(headers.get("authorization")) is True
            await self.app(
                {**scope, AUTHENTICATED_KEY: authenticated}, _replay(body, receive), send
            )

        scope = {**scope, ABORT_KEY: abort}
        fault = ctx.faults.take(target) if target else None
        if fault is None:
            await handle(scope, send_with_headers)
        else:
            await self._with_fault(fault, scope, handle, send_with_headers, abort)
            if fault.kind == "drop":
                ctx.log.set_status(entry, None)

    def _refusal(
        self,
        scope: Scope,
        *,
        op: str | None,
        allowed: list[str],
        headers: dict[str, str],
        too_large: bool,
        window: list[WindowState],
    ) -> tuple[int, str, dict[str, str]] | None:
        """Why the gate answers instead of the routes (status, detail, headers), or None."""
        if allowed:  # the path exists, the method does not: list all of the path's methods
            return 405, "Method Not Allowed", {"allow": ", ".join(allowed)}
        if scope["path"].startswith("/v1/"):
            state = self.ctx.window.hit()
            window[:] = [state]
            if not state.allowed:
                # Like the live API: only the x-ratelimit-* headers say when to retry (no
                # Retry-After; ``Fault.status(429, retry_after=...)`` sends one when a test wants).
                return 429, "Rate limit exceeded.", {}
            authenticated = self._authenticate(headers.get("authorization"))
            refused = authenticated is None or (not authenticated and op not in PUBLIC_OPERATIONS)
            if refused and op is not None:
                return 401, "Invalid or missing access token.", {}
        if too_large:
            return 413, "Request body too large.", {}
        return None

    def _authenticate(self, header: str | None) -> bool | None:
        """True: valid token; False: no token; None: a token that is not valid."""
        if header is None:
            return False
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        return (
            True if hmac.compare_digest(token.strip().encode(), self.ctx.token.encode()) else None
        )

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> tuple[bytes, bool]:
        """The body (at most ``max_body_bytes`` of it) and whether it was larger than that."""
        limit = self.ctx.max_body_bytes
        declared = headers.get("content-length", "")
        too_large = declared.isascii() and declared.isdigit() and int(declared) > limit
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            data = message.get("body", b"")
            size += len(data)
            if size <= limit:
                chunks.append(data)
            else:
                too_large = True
            more = message.get("more_body", False)
        return b"".join(chunks), too_large

    async def _with_fault(
        self,
        fault: Fault,
        scope: Scope,
        handle: Callable[[Scope, Send], Awaitable[None]],
        send: Send,
        abort: Callable[[], Awaitable[None]],
    ) -> None:
        if fault.after_handling and fault.kind in ("status", "html"):
            await handle(scope, _discard)
        if fault.kind == "status":
            extra = {} if fault.retry_after is None else {"retry-after": f"{fault.retry_after:g}"}
            await _error(send, fault.status_code, fault.detail, extra)
        elif fault.kind == "html":
            page = _HTML_PAGE.format(code=fault.status_code).encode()
            await _respond(send, fault.status_code, page, {"content-type": "text/html"})
        elif fault.kind == "delay":
            await first_completed(
                asyncio.sleep(fault.seconds), self.ctx.closing.wait(), seconds=fault.seconds
            )
            await handle(scope, send)
        elif fault.kind == "drop":
            if fault.after_handling:
                await handle(scope, _discard)
            await abort()
        elif fault.kind == "truncated":
            captured: list[Message] = []

            async def capture(message: Message) -> None:
                captured.append(message)

            await handle(scope, capture)
            start = next(m for m in captured if m["type"] == "http.response.start")
            body = b"".join(
                m.get("body", b"") for m in captured if m["type"] == "http.response.body"
            )
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            kept.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": kept})
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            await abort()
        elif fault.kind == "drip":
            await self._drip(fault, scope, handle, send)
        elif fault.kind == "huge_body":
            await _huge_body(fault, send, self.ctx.closing)
        else:  # cut_stream: the event stream itself cuts after this many events
            cut = {CUT_AFTER_KEY: fault.after_events, CUT_MID_EVENT_KEY: fault.mid_event}
            await handle({**scope, **cut}, send)

    async def _drip(
        self,
        fault: Fault,
        scope: Scope,
        handle: Callable[[Scope, Send], Awaitable[None]],
        send: Send,
    ) -> None:
        if fault.body is None:
            captured: list[Message] = []

            async def capture(message: Message) -> None:
                captured.append(message)

            await handle(scope, capture)
            start = next(m for m in captured if m["type"] == "http.response.start")
            body = b"".join(
                m.get("body", b"") for m in captured if m["type"] == "http.response.body"
            )
        else:
            body = fault.body
            start = _start(200, {"content-type": fault.content_type}, len(body))
        await send(start)
        for i in range(len(body)):
            more = i + 1 < len(body)
            await send({"type": "http.response.body", "body": body[i : i + 1], "more_body": more})
            if more:
                await first_completed(self.ctx.closing.wait(), seconds=fault.seconds)
            if self.ctx.closing.is_set():
                return


_HUGE_CHUNK = 64 * 1024


async def _huge_body(fault: Fault, send: Send, closing: asyncio.Event) -> None:
    """``Fault.huge_body``: ``fault.size`` bytes made one chunk at a time (never held whole)."""
    headers = [(b"content-type", fault.content_type.encode())]
    if fault.gzip:
        headers.append((b"content-encoding", b"gzip"))
    await send({"type": "http.response.start", "status": fault.status_code, "headers": headers})
    filler = b"x" if fault.content_type.startswith("text/event-stream") else b" "
    compressor = zlib.compressobj(wbits=zlib.MAX_WBITS | 16) if fault.gzip else None
    if filler == b"x":
        await send({"type": "http.response.body", "body": b"data: ", "more_body": True})
    left = fault.size
    while left > 0 and not closing.is_set():
        chunk = filler * min(left, _HUGE_CHUNK)
        left -= len(chunk)
        data = compressor.compress(chunk) if compressor is not None else chunk
        if data:
            await send({"type": "http.response.body", "body": data, "more_body": True})
    tail = compressor.flush() if compressor is not None else b""
    await send({"type": "http.response.body", "body": tail, "more_body": False})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the app, then reports the connection."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _discard(message: Message) -> None:
    """A send that throws the response away (``Fault.drop(after_handling=True)``)."""
