"""One list page costs a bounded number of SQL statements, however many tasks and tags."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import event

from tests.integration.http.conftest import signed_in
from todo_api.entrypoints.container import Container


@contextmanager
def counting_statements(container: Container) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        statements.append(statement)

    engine = container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _page_cost(client: httpx.AsyncClient, container: Container, headers: dict) -> int:
    with counting_statements(container) as statements:
        response = await client.get("/api/v1/tasks?limit=100&sort=title", headers=headers)
    assert response.status_code == 200
    return len(statements)


async def test_a_page_costs_the_same_for_2_or_60_tasks_with_many_tags(
    client: httpx.AsyncClient, container: Container
) -> None:
    headers = await signed_in(client)
    tag_ids = [
        (await client.post("/api/v1/tags", headers=headers, json={"name": f"t{n}"})).json()["id"]
        for n in range(8)
    ]
    for n in range(2):
        await client.post(
            "/api/v1/tasks", headers=headers, json={"title": f"a{n}", "tag_ids": tag_ids}
        )
    small = await _page_cost(client, container, headers)
    for n in range(58):
        await client.post(
            "/api/v1/tasks", headers=headers, json={"title": f"b{n}", "tag_ids": tag_ids[: n % 8]}
        )
    large = await _page_cost(client, container, headers)
    assert small == large, (small, large)
    # The session check and the page with its tags (a count only past the last page).
    assert large <= 6, large
