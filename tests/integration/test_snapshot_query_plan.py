"""A snapshot page reads its persons' rows and clocks without walking every file (SQLite).

With ``row_clock.table_name IN (…)`` beside ``person_id IN (…)``, SQLite's planner chose
the primary key (table_name, row_id) and walked every file's clocks for each page: 2.25 s
a page for a supervisor's 3,000 persons (``bench/sync.py --team``), against 0.37 s through
the person index. Without ANALYZE statistics the plan depends on the lengths of the two
lists, not on the data: a page's twenty-odd persons against the eleven tables of a file.

Since stop 26 each table's rows carry their clock in the same statement: the rows are found
by the person key, and each row's clock by one seek on the primary key (table_name, row_id)
— never a scan of ``row_clock``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event

from sync.server.pull import person_blocks


def test_person_blocks_never_walk_the_row_clocks(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    persons = [
        world.admin.create_person(
            {"last_name": f"Nom{n}", "first_name": "Test", "external_id": f"P-{n}"},
            "alice.martin",
        )
        for n in range(3)
    ]
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "row_clock" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    with world.engine.connect() as connection:
        event.listen(connection, "before_cursor_execute", capture)
        # A page's worth of persons (most of them without rows here: the plan is the same).
        asked = [uuid.UUID(str(p)) for p in persons] + [uuid.uuid4() for _ in range(20)]
        blocks = person_blocks(connection, asked)
        event.remove(connection, "before_cursor_execute", capture)
        assert {block["table"] for block in blocks} >= {"person", "referent_assignment"}
        assert all(all(block["hlcs"]) for block in blocks)  # every row has its clock
        assert statements
        for statement, parameters in statements:
            plan = " | ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
            clock_steps = [step for step in plan.split(" | ") if " rc " in f" {step} "]
            assert clock_steps, plan
            for step in clock_steps:
                # One seek per row on the whole key, not a walk of a key prefix.
                assert step.startswith("SEARCH rc USING ") and "row_id=?" in step, (statement, plan)
            assert "SCAN rc" not in plan and "SCAN row_clock" not in plan, (statement, plan)
