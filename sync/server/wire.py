"""ASGI middleware for the wire: compressed bodies both ways, and request size limits.

- Requests may be sent with ``Content-Encoding: zstd`` or ``gzip``; they are inflated
  here, never beyond ``max_decompressed_bytes`` (a small zip bomb stays small). The
  body on the wire is limited to ``max_body_bytes``. Any other encoding is refused
  (415 ``unsupported_encoding``).
- Responses are compressed with zstd (preferred) or gzip when the client accepts it and
  the body is worth it.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import zstandard

from sync.protocol import ErrorCode, message_for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)

ZSTD_LEVEL = 3
GZIP_LEVEL = 6


# A JSON escape of a UTF-16 surrogate: a pair is fine, a lone one no database can hold.
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


class BodyTooLarge(Exception):
    pass


def _has_lone_surrogate(body: bytes) -> bool:
    try:
        document = json.loads(body)
    except ValueError:
        return False  # the app answers invalid_json
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class GuardMiddleware:
    """The last line: an unexpected error becomes a 500 with a machine code, and the
    connection stays usable (Starlette's own handler re-raises, and uvicorn then closes
    the keep-alive connection, failing the client's next request too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unexpected error")
            await _error(send, 500, ErrorCode.INTERNAL_ERROR, keep_alive=True)


def inflate(data: bytes, encoding: str, limit: int) -> bytes:
    """Decompress ``data``; raise :class:`BodyTooLarge` past ``limit`` bytes."""
    if encoding == "zstd":
        reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
        buffer = bytearray()
        while True:
            chunk = reader.read(65536)
            if not chunk:
                break
            buffer += chunk
            if len(buffer) > limit:
                raise BodyTooLarge()
        result = bytes(buffer)
    else:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        result = inflater.decompress(data, limit + 1)
        if inflater.unconsumed_tail:
            raise BodyTooLarge()
    if len(result) > limit:
        raise BodyTooLarge()
    return result


def deflate(data: bytes, encoding: str) -> bytes:
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    return gzip.compress(data, compresslevel=GZIP_LEVEL)


def choose_encoding(accept: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if "zstd" in offered:
        return "zstd"
    if "gzip" in offered:
        return "gzip"
    return None


class WireMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_decompressed_bytes: int,
        compress_min_bytes: int = 600,
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_inflated = max_decompressed_bytes
        self.min_size = compress_min_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "zstd", "gzip"):
            await _error(send, 415, ErrorCode.UNSUPPORTED_ENCODING)
            return
        declared = headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    await _error(send, 413, ErrorCode.PAYLOAD_TOO_LARGE)
                    return
            except ValueError:
                await _error(send, 400, ErrorCode.INVALID_REQUEST)
                return
        body_needed = scope["method"] in ("POST", "PUT", "PATCH")
        if body_needed:
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await _error(send, 413, ErrorCode.PAYLOAD_TOO_LARGE)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            if encoding != "identity":
                try:
                    body = inflate(body, encoding, self.max_inflated)
                except BodyTooLarge:
                    await _error(send, 413, ErrorCode.PAYLOAD_TOO_LARGE)
                    return
                except (zstandard.ZstdError, zlib.error, OSError, EOFError):
                    await _error(send, 400, ErrorCode.INVALID_REQUEST, "corps compressé illisible")
                    return
            if _ESCAPED_SURROGATE.search(body) and _has_lone_surrogate(body):
                await _error(
                    send, 422, ErrorCode.INVALID_VALUE, "caractère non représentable (\\ud800…)"
                )
                return
            scope = dict(scope)
            scope["headers"] = [
                (k, v)
                for k, v in scope["headers"]
                if k.lower() not in (b"content-encoding", b"content-length")
            ] + [(b"content-length", str(len(body)).encode("ascii"))]
            delivered = False

            async def replay() -> Message:
                nonlocal delivered
                if delivered:
                    return await receive()
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}

            receive = replay
        target = choose_encoding(headers.get("accept-encoding", ""))
        if target is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _CompressingSend(send, target, self.min_size))


class _CompressingSend:
    def __init__(self, send: Send, encoding: str, min_size: int) -> None:
        self.send = send
        self.encoding = encoding
        self.min_size = min_size
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self.chunks)
        start = self.start
        headers = [(k, v) for k, v in start.get("headers", [])]
        already = any(k.lower() == b"content-encoding" for k, _ in headers)
        if not already and len(body) >= self.min_size:
            body = deflate(body, self.encoding)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-encoding", self.encoding.encode("ascii")))
            headers.append((b"content-length", str(len(body)).encode("ascii")))
        headers.append((b"vary", b"Accept-Encoding"))
        await self.send({**start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


async def _error(
    send: Send, status: int, code: str, detail: str | None = None, *, keep_alive: bool = False
) -> None:
    payload = json.dumps(
        {"code": str(code), "message": message_for(code), "detail": detail}, ensure_ascii=False
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode("ascii")),
            ]
            + ([] if keep_alive else [(b"connection", b"close")]),
        }
    )
    await send({"type": "http.response.body", "body": payload, "more_body": False})
