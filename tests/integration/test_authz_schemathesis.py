"""schemathesis against the running server, authenticated as a referent and as a supervisor
(issue 11, Proof): every operation of the OpenAPI document, positive and negative data,
bounded; no answer is a 5xx and every answer conforms to the document (status, content
type, schema — a refusal's code among those its operation lists).

``SPIE_SCHEMATHESIS_EXAMPLES`` raises the bound (``make soak``-style long runs)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from authz_support import Api, unique
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SPIE_SCHEMATHESIS_EXAMPLES", "30"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def accounts(module_world: Any) -> Iterator[dict[str, Api]]:
    """A referent following one person, and the supervisor of her team."""
    world = module_world
    team = unique("Fuzz")
    world.admin.create_team(team)
    name = unique("alice.f")
    world.user(name, team=team)
    world.admin.create_person({"last_name": "Fuzz", "first_name": "F"}, name)
    chief = unique("sam.f")
    world.user(chief, role="supervisor", team=team)
    apis = {"referent": Api(world.url, name), "supervisor": Api(world.url, chief)}
    yield apis
    for api in apis.values():
        api.close()


def _operations(url: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("actor", ["referent", "supervisor"])
@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_api_conforms_to_its_openapi_document(
    module_world: Any, accounts: dict[str, Api], actor: str, mode: GenerationMode
) -> None:
    headers = {"Authorization": f"Bearer {accounts[actor].token}"}
    operations = _operations(module_world.url)
    assert {op.path for op in operations} >= {
        "/auth/login",
        "/sync/push",
        "/sync/pull",
        "/sync/settings",
        "/sync/digests",
        "/sync/files",
        "/sync/directory",
        "/sync/handover",
        "/sync/reveal",
        "/audit/events",
    }
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(base_url=module_world.url, headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for an operation without input (/health).
            assert mode is GenerationMode.NEGATIVE, operation.path
