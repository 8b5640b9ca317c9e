"""Misbehaviour on request, as ASGI middleware in front of the API routes.

Order per request: latency, then the rate limit (429 + ``Retry-After``), then a
random 500/502/503, then the app; its answer may be truncated mid-body.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from typing import Any

from .config import Faults

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Any


def error_body(status: int, description: str) -> bytes:
    import msgspec

    body = {"status": "error", "code": status, "errors": {"description": description}}
    return msgspec.json.encode(body)


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults, prefix: str, seed: int) -> None:
        self.app = app
        self.faults = faults
        self.prefix = prefix
        self.rng = random.Random(f"faults/{seed}")
        self.lock = threading.Lock()
        self.window = 0
        self.count = 0

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.rate_limit and self._over_limit():
            now = time.monotonic()
            wait = max(1, math.ceil(math.floor(now) + 1 - now))
            await self._answer(
                send,
                429,
                "Too many requests: slow down and retry later.",
                {"retry-after": str(wait)},
            )
            return
        with self.lock:
            fail = faults.fail_rate and self.rng.random() < faults.fail_rate
            status = self.rng.choice((500, 502, 503))
            truncate = faults.truncate_rate and self.rng.random() < faults.truncate_rate
        if fail:
            await self._answer(send, status, "The server had a temporary failure; retry.")
            return
        if truncate:
            await self.app(scope, receive, _Truncating(send))
            return
        await self.app(scope, receive, send)

    def _over_limit(self) -> bool:
        with self.lock:
            second = int(time.monotonic())
            if second != self.window:
                self.window, self.count = second, 0
            self.count += 1
            return self.count > self.faults.rate_limit

    @staticmethod
    async def _answer(
        send: Any, status: int, description: str, headers: dict[str, str] | None = None
    ) -> None:
        body = error_body(status, description)
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ] + [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body})


class _Truncating:
    """Passes the answer on as a chunked body, then stops half-way through it."""

    def __init__(self, send: Any) -> None:
        self.send = send
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-length"]
            self.start = {**message, "headers": headers}
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body"):
            return
        assert self.start is not None
        await self.send(self.start)
        await self.send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )
        # Returning now, with the body unfinished, makes the server drop the
        # connection before the final chunk: the client sees a cut-off body.
