"""The wire contract: every exchange with the server checked against its OpenAPI document.

:class:`WireRecorder` wraps ``httpx.Client.send`` so that every request a test makes (the sync
client's or a hostile test's own) and every answer are recorded; :class:`OpenApiContract` checks
each one against the document the server publishes (``app.openapi()``):

- the answer's status is documented for that operation and its body matches the documented
  schema — *strictly*: an undocumented field in an answer is drift too (the server renamed
  or added something the document does not say);
- a request the server accepted (2xx) matches the documented request body and query
  parameters, also strictly (a client that renames a field the server happens to ignore).

A request the server refused is not checked: hostile tests send bad requests on purpose; the
refusal itself must still be documented.
"""

from __future__ import annotations

import copy
import gzip
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import jsonschema_rs
import zstandard

DOCUMENTATION_PATHS = frozenset({"/openapi.json", "/docs", "/redoc"})

__all__ = ["DOCUMENTATION_PATHS", "Exchange", "OpenApiContract", "WireRecorder", "server_openapi"]


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    query: list[tuple[str, str]]
    request_body: Any
    status: int
    response_body: Any


@dataclass
class _Operation:
    method: str
    template: str
    request: Any  # validator or None
    parameters: dict[str, tuple[bool, Any]]  # name -> (required, validator)
    responses: dict[str, Any]  # status -> validator or None (no body)


def server_openapi() -> dict[str, Any]:
    """The OpenAPI document of the server as a department's system would fetch it."""
    import tempfile
    from pathlib import Path

    from sync.server.app import create_app
    from sync.server.db import database_url
    from sync.server.settings import ServerSettings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        app = create_app(ServerSettings(database_url=database_url(data, None), data_dir=data))
        return app.openapi()


def _strict(node: Any) -> Any:
    """Forbid undocumented properties in every object schema that lists its properties."""
    if isinstance(node, dict):
        result = {key: _strict(value) for key, value in node.items()}
        if "properties" in result and "additionalProperties" not in result:
            result["additionalProperties"] = False
        return result
    if isinstance(node, list):
        return [_strict(item) for item in node]
    return node


def _decode(content: bytes, encoding: str | None) -> Any:
    if not content:
        return None
    if encoding == "zstd":
        content = zstandard.ZstdDecompressor().stream_reader(content).read()
    elif encoding == "gzip":
        content = gzip.decompress(content)
    return json.loads(content)


class OpenApiContract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        components = _strict(copy.deepcopy(document.get("components", {})))
        self._operations: list[_Operation] = []
        for template, item in document["paths"].items():
            for method, operation in item.items():
                self._operations.append(self._compile(method, template, operation, components))

    @staticmethod
    def _validator(schema: Any, components: dict[str, Any]) -> Any:
        root = {**_strict(copy.deepcopy(schema)), "components": components}
        return jsonschema_rs.Draft202012Validator(root)

    def _compile(
        self, method: str, template: str, operation: dict[str, Any], components: dict[str, Any]
    ) -> _Operation:
        request = None
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            request = self._validator(body["schema"], components)
        parameters = {
            p["name"]: (bool(p.get("required")), self._validator(p["schema"], components))
            for p in operation.get("parameters", [])
            if p.get("in") == "query"
        }
        responses: dict[str, Any] = {}
        for status, answer in operation.get("responses", {}).items():
            content = answer.get("content", {}).get("application/json")
            responses[status] = self._validator(content["schema"], components) if content else None
        return _Operation(method.upper(), template, request, parameters, responses)

    def operation(self, method: str, path: str) -> _Operation | None:
        for operation in self._operations:
            if operation.method != method.upper():
                continue
            template_parts = operation.template.strip("/").split("/")
            path_parts = path.strip("/").split("/")
            if len(template_parts) == len(path_parts) and all(
                t == p or (t.startswith("{") and t.endswith("}"))
                for t, p in zip(template_parts, path_parts, strict=True)
            ):
                return operation
        return None

    @property
    def operations(self) -> list[tuple[str, str]]:
        return [(op.method, op.template) for op in self._operations]

    def violations(self, exchange: Exchange) -> list[str]:
        """What in ``exchange`` the document does not allow ([] when it conforms)."""
        where = f"{exchange.method} {exchange.path} → {exchange.status}"
        operation = self.operation(exchange.method, exchange.path)
        if operation is None:
            if exchange.path in DOCUMENTATION_PATHS:
                return []
            if exchange.status in (404, 405):
                return []  # a route or a method the API does not have, refused as such
            return [f"{where}: opération absente du document OpenAPI"]
        problems: list[str] = []
        status = str(exchange.status)
        if status not in operation.responses:
            problems.append(f"{where}: statut non documenté")
        else:
            validator = operation.responses[status]
            if validator is not None:
                problems += [
                    f"{where}: réponse {e.instance_path}: {e.message}"
                    for e in validator.iter_errors(exchange.response_body)
                ]
        if 200 <= exchange.status < 300:
            problems += self._request_violations(where, operation, exchange)
        return problems

    @staticmethod
    def _request_violations(where: str, operation: _Operation, exchange: Exchange) -> list[str]:
        problems: list[str] = []
        if operation.request is not None:
            problems += [
                f"{where}: requête {e.instance_path}: {e.message}"
                for e in operation.request.iter_errors(exchange.request_body)
            ]
        seen = {name for name, _ in exchange.query}
        for name, value in exchange.query:
            if name not in operation.parameters:
                problems.append(f"{where}: paramètre non documenté « {name} »")
                continue
            _required, validator = operation.parameters[name]
            if not any(validator.is_valid(candidate) for candidate in _typed(value)):
                problems.append(f"{where}: paramètre « {name} » invalide : {value!r}")
        for name, (required, _validator) in operation.parameters.items():
            if required and name not in seen:
                problems.append(f"{where}: paramètre requis absent « {name} »")
        return problems


def _typed(value: str) -> list[Any]:
    """A query string value read as each JSON type a schema may ask for."""
    readings: list[Any] = [value]
    if value.lstrip("-").isdigit():
        readings.append(int(value))
    if value in ("true", "false"):
        readings.append(value == "true")
    return readings


@dataclass
class WireRecorder:
    """Records every exchange made through any ``httpx.Client`` while it is installed."""

    exchanges: list[Exchange] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def installed(self) -> Iterator[WireRecorder]:
        original = httpx.Client.send
        recorder = self

        def send(client: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            response = original(client, request, **kwargs)
            recorder._record(request, response)
            return response

        httpx.Client.send = send  # type: ignore[method-assign]
        try:
            yield self
        finally:
            httpx.Client.send = original  # type: ignore[method-assign]

    def _record(self, request: httpx.Request, response: httpx.Response) -> None:
        try:
            response.read()
            answer = response.json() if response.content else None
        except (ValueError, httpx.StreamError):
            answer = "<corps illisible>"
        try:
            body = _decode(request.content, request.headers.get("content-encoding"))
        except (ValueError, httpx.RequestNotRead, zstandard.ZstdError, OSError):
            body = "<corps illisible>"
        exchange = Exchange(
            method=request.method,
            path=request.url.path,
            query=parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True),
            request_body=body,
            status=response.status_code,
            response_body=answer,
        )
        with self._lock:
            self.exchanges.append(exchange)

    def coverage(self, contract: OpenApiContract) -> Counter[tuple[str, str, int]]:
        counts: Counter[tuple[str, str, int]] = Counter()
        for exchange in self.exchanges:
            operation = contract.operation(exchange.method, exchange.path)
            if operation is not None:
                counts[(operation.method, operation.template, exchange.status)] += 1
        return counts
