"""The OpenAPI document lists every refusal code each operation can answer (issue 11, What 9).

A department's own client is generated from the document alone: for each operation and each
refusal status, the document's ``ErrorBody`` narrows ``code`` to an enum. This test reads the
server's source (``sync/server/*.py``), follows the calls from each route (its dependencies
included) to every ``ApiError(status, ErrorCode.X)`` it can reach, adds what the framework
answers before the route runs (the wire middleware, request validation, the database), and
fails if a (status, code) pair is missing from the document, or if the document promises a
code no route can answer. The resolution of calls is by name, so it over-approximates: a code
listed but unreachable is a documentation bug the second assertion names.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sync.protocol import ErrorCode

SERVER = Path(__file__).resolve().parents[2] / "sync" / "server"
APP_SCOPE = ("sync.server.app", "create_app")

Key = tuple[str, ...]
Codes = dict[int, set[str]]


@dataclass
class _Function:
    key: Key
    module: str
    cls: str | None
    node: ast.FunctionDef | ast.AsyncFunctionDef
    raises: set[tuple[int, str]] = field(default_factory=set)
    edges: set[Key] = field(default_factory=set)
    touches_database: bool = False


@dataclass
class _Module:
    name: str
    tree: ast.Module
    modules: dict[str, str] = field(default_factory=dict)  # alias → module
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias → (module, name)


class _Index:
    """The functions of the server package, their raise sites and the calls between them."""

    def __init__(self) -> None:
        self.functions: dict[Key, _Function] = {}
        self.modules: dict[str, _Module] = {}
        self.methods: dict[str, set[Key]] = defaultdict(set)  # name → methods of any class
        self.classes: dict[tuple[str, str], set[str]] = defaultdict(set)
        for path in sorted(SERVER.glob("*.py")):
            name = f"sync.server.{path.stem}"
            module = _Module(name, ast.parse(path.read_text(encoding="utf-8")))
            self.modules[name] = module
            self._imports(module)
            self._collect(module)
        for function in self.functions.values():
            self._scan(function)

    def _imports(self, module: _Module) -> None:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if f"{node.module}.{alias.name}" in self._all_module_names():
                        module.modules[local] = f"{node.module}.{alias.name}"
                    else:
                        module.names[local] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    module.modules[alias.asname or alias.name] = alias.name

    @staticmethod
    def _all_module_names() -> set[str]:
        return {f"sync.server.{path.stem}" for path in SERVER.glob("*.py")}

    def _collect(self, module: _Module) -> None:
        for node in module.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self._add((module.name, node.name), module.name, None, node)
                if (module.name, node.name) == APP_SCOPE:
                    for inner in ast.walk(node):
                        if inner is not node and isinstance(
                            inner, ast.FunctionDef | ast.AsyncFunctionDef
                        ):
                            self._add((*APP_SCOPE, inner.name), module.name, None, inner)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        key = (module.name, node.name, item.name)
                        self._add(key, module.name, node.name, item)
                        self.methods[item.name].add(key)
                        self.classes[(module.name, node.name)].add(item.name)

    def _add(
        self,
        key: Key,
        module: str,
        cls: str | None,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
    ) -> None:
        self.functions[key] = _Function(key, module, cls, node)

    def _resolve_name(self, function: _Function, name: str) -> set[Key]:
        module = self.modules[function.module]
        found: set[Key] = set()
        if function.key[:2] == APP_SCOPE and (*APP_SCOPE, name) in self.functions:
            found.add((*APP_SCOPE, name))
        if (function.module, name) in self.functions:
            found.add((function.module, name))
        if (function.module, name) in self.classes:
            found |= self._constructor(function.module, name)
        if name in module.names:
            target_module, target = module.names[name]
            if (target_module, target) in self.functions:
                found.add((target_module, target))
            if (target_module, target) in self.classes:
                found |= self._constructor(target_module, target)
        return found

    def _constructor(self, module: str, cls: str) -> set[Key]:
        return {(module, cls, "__init__")} if "__init__" in self.classes[(module, cls)] else set()

    def _class_of(self, function: _Function, name: str) -> tuple[str, str] | None:
        if (function.module, name) in self.classes:
            return (function.module, name)
        target = self.modules[function.module].names.get(name)
        return target if target in self.classes else None

    def _resolve_attribute(self, function: _Function, node: ast.Attribute) -> set[Key]:
        module = self.modules[function.module]
        if isinstance(node.value, ast.Name):
            owner = node.value.id
            if owner in module.modules:
                target = module.modules[owner]
                found = {(target, node.attr)} & self.functions.keys()
                if (target, node.attr) in self.classes:
                    found |= self._constructor(target, node.attr)
                return found
            if owner in ("self", "cls") and function.cls is not None:
                key = (function.module, function.cls, node.attr)
                if key in self.functions:
                    return {key}
            cls = self._class_of(function, owner)
            if cls is not None and node.attr in self.classes[cls]:
                return {(*cls, node.attr)}
        return set(self.methods.get(node.attr, set()))  # any class's method of that name

    def _scan(self, function: _Function) -> None:
        local = {arg.arg for arg in ast.walk(function.node.args) if isinstance(arg, ast.arg)}
        local |= {
            node.id
            for node in ast.walk(function.node)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        # What a ``try … except ApiError`` wraps never reaches the client.
        shielded = {
            id(inner)
            for node in ast.walk(function.node)
            if isinstance(node, ast.Try) and any(_catches_api_error(h) for h in node.handlers)
            for statement in node.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(function.node):
            if id(node) in shielded:
                continue
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id not in local:  # a local variable named like a function is not it
                    function.edges |= self._resolve_name(function, node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                function.edges |= self._resolve_attribute(function, node)
                if node.attr in ("begin", "connect", "execute") or (
                    isinstance(node.value, ast.Name)
                    and self.modules[function.module].modules.get(node.value.id) == "sync.server.db"
                ):
                    function.touches_database = True
            if isinstance(node, ast.Call) and _called(node) == "ApiError":
                function.raises |= _api_errors(node)
            if isinstance(node, ast.Name) and node.id in ("read_tx", "write_tx"):
                function.touches_database = True
        function.edges.discard(function.key)

    def reach(self, start: Key) -> Iterator[_Function]:
        seen = {start}
        todo = [start]
        while todo:
            current = self.functions[todo.pop()]
            yield current
            for edge in current.edges - seen:
                seen.add(edge)
                todo.append(edge)

    def routes(self) -> Iterator[tuple[str, str, Key]]:
        for key, function in self.functions.items():
            if key[:2] != APP_SCOPE or len(key) != 3:
                continue
            for decorator in function.node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and isinstance(decorator.func.value, ast.Name)
                    and decorator.func.value.id == "app"
                    and decorator.func.attr in ("get", "post")
                    and decorator.args
                    and isinstance(decorator.args[0], ast.Constant)
                ):
                    yield decorator.func.attr.upper(), str(decorator.args[0].value), key


def _catches_api_error(handler: ast.ExceptHandler) -> bool:
    """A handler that swallows ``ApiError`` (neither keeps it nor raises again)."""
    if handler.type is None or handler.name is not None:
        return False
    if any(isinstance(node, ast.Raise) for node in ast.walk(handler)):
        return False
    return any(
        (isinstance(part, ast.Name) and part.id == "ApiError")
        or (isinstance(part, ast.Attribute) and part.attr == "ApiError")
        for part in ast.walk(handler.type)
    )


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _api_errors(node: ast.Call) -> set[tuple[int, str]]:
    """(status, code) of ``ApiError(status, code…)``: a constant status, and every
    ``ErrorCode.X`` of the code expression (``outcome.code or ErrorCode.X`` names X)."""
    if len(node.args) < 2:
        return set()
    status = node.args[0]
    if not (isinstance(status, ast.Constant) and isinstance(status.value, int)):
        return set()  # the framework's handlers (exc.status_code): modelled below
    codes = {
        ErrorCode[part.attr].value
        for part in ast.walk(node.args[1])
        if isinstance(part, ast.Attribute)
        and isinstance(part.value, ast.Name)
        and part.value.id == "ErrorCode"
    }
    if not codes and isinstance(node.args[1], ast.Attribute) and node.args[1].attr == "code":
        codes = _field_error_codes()  # ``ApiError(422, exc.code)`` of a caught FieldError
    return {(status.value, code) for code in codes}


def _field_error_codes() -> set[str]:
    """Every code ``sync.schema`` raises a ``FieldError`` with (the decoders of pushed
    values), which the merge answers as it is."""
    tree = ast.parse((SERVER.parent / "schema.py").read_text(encoding="utf-8"))
    return {
        ErrorCode[node.args[0].attr].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _called(node) == "FieldError"
        and node.args
        and isinstance(node.args[0], ast.Attribute)
        and isinstance(node.args[0].value, ast.Name)
        and node.args[0].value.id == "ErrorCode"
    }


def _framework_codes(route: Any, database: bool) -> Codes:
    """What answers before (or around) the route: the wire middleware on every request,
    request validation where there is something to validate, the database handler."""
    codes: Codes = defaultdict(set)
    codes[400].add(ErrorCode.INVALID_REQUEST)  # an unreadable Content-Length
    codes[413].add(ErrorCode.PAYLOAD_TOO_LARGE)
    codes[415].add(ErrorCode.UNSUPPORTED_ENCODING)
    if database:
        codes[503].add(ErrorCode.UNAVAILABLE)
    if "POST" in route.methods:  # the middleware reads (and checks) every POST body
        codes[400].add(ErrorCode.INVALID_REQUEST)  # compressed body that does not inflate
        codes[422].add(ErrorCode.INVALID_VALUE)  # a lone surrogate
    if route.body_field is not None:
        codes[400].add(ErrorCode.INVALID_JSON)
        codes[422].add(ErrorCode.INVALID_REQUEST)
        model = route.body_field.field_info.annotation
        changes = getattr(model, "model_fields", {}).get("changes")
        if changes is not None and any(hasattr(m, "max_length") for m in changes.metadata):
            codes[413].add(ErrorCode.BATCH_TOO_LARGE)
    if route.dependant.query_params or route.dependant.header_params:
        codes[422].add(ErrorCode.INVALID_REQUEST)
    return codes


def _app() -> Any:
    import tempfile

    from sync.server.app import create_app
    from sync.server.db import database_url
    from sync.server.settings import ServerSettings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        app = create_app(ServerSettings(database_url=database_url(data, None), data_dir=data))
        app.state.engine.dispose()
        return app


def emitted_by_route(app: Any) -> dict[tuple[str, str], Codes]:
    """For each operation, the codes its route can answer, by status."""
    by_path = {
        (method, route.path): route
        for route in app.routes
        if hasattr(route, "body_field")
        for method in route.methods
    }
    index = _Index()
    result: dict[tuple[str, str], Codes] = {}
    for method, path, key in index.routes():
        reached = list(index.reach(key))
        codes = _framework_codes(by_path[(method, path)], any(f.touches_database for f in reached))
        for function in reached:
            for status, code in function.raises:
                codes[status].add(code)
        result[(method, path)] = codes
    return result


def documented(document: dict[str, Any]) -> dict[tuple[str, str], Codes]:
    """For each operation of the document, the codes each refusal status lists."""
    result: dict[tuple[str, str], Codes] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes: Codes = {}
            for status, response in operation.get("responses", {}).items():
                if not status.isdigit() or int(status) < 400:
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                listed: set[str] = set()
                for part in schema.get("allOf", [schema]):
                    listed |= set(part.get("properties", {}).get("code", {}).get("enum", []))
                codes[int(status)] = listed
            result[(method.upper(), path)] = codes
    return result


@pytest.fixture(scope="module")
def app() -> Any:
    return _app()


@pytest.fixture(scope="module")
def document(app: Any) -> dict[str, Any]:
    return dict(app.openapi())


def test_the_analysis_sees_the_refusals_it_must_see(app: Any) -> None:
    """The call resolution reaches through dependencies, services and helpers (a sanity check
    on the analysis itself, so that an empty reach cannot pass the test below)."""
    emitted = emitted_by_route(app)
    assert ErrorCode.TOKEN_EXPIRED in emitted[("GET", "/sync/settings")][401]  # Depends()
    assert ErrorCode.DEVICE_REVOKED in emitted[("GET", "/sync/digests")][403]  # via _revoked()
    assert ErrorCode.HANDOVER_STALE in emitted[("POST", "/sync/handover")][409]  # service→handover
    assert ErrorCode.REVEAL_FORBIDDEN in emitted[("POST", "/sync/reveal")][403]
    assert ErrorCode.TEAM_OUT_OF_SCOPE in emitted[("GET", "/audit/events")][403]
    assert ErrorCode.CURSOR_UNKNOWN in emitted[("GET", "/sync/directory")][410]
    assert ErrorCode.TOO_MANY_ATTEMPTS in emitted[("POST", "/auth/login")][429]
    assert ErrorCode.BATCH_TOO_LARGE in emitted[("POST", "/sync/push")][413]
    assert 401 not in emitted[("GET", "/health")]


def test_every_refusal_a_route_can_answer_is_in_the_openapi_document(
    app: Any,
    document: dict[str, Any],
) -> None:
    listed = documented(document)
    emitted = emitted_by_route(app)
    assert set(emitted) == set(listed)
    missing = sorted(
        f"{method} {path} → {status} {code}"
        for (method, path), codes in emitted.items()
        for status, names in codes.items()
        for code in names
        if code not in listed[(method, path)].get(status, set())
    )
    assert not missing, "refus absents du document OpenAPI :\n" + "\n".join(missing)


def test_the_openapi_document_promises_no_refusal_a_route_cannot_answer(
    app: Any,
    document: dict[str, Any],
) -> None:
    listed = documented(document)
    emitted = emitted_by_route(app)
    extra = sorted(
        f"{method} {path} → {status} {code or '(aucun code listé)'}"
        for (method, path), codes in listed.items()
        for status, names in codes.items()
        for code in (names or {""})
        if code not in emitted[(method, path)].get(status, set())
    )
    assert not extra, "refus promis par le document mais jamais répondus :\n" + "\n".join(extra)
