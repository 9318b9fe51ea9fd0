"""An app per simulated worker, driven concurrently.

Litestar's test client runs each request to completion through a blocking portal, one at a
time; these tests need requests that really interleave, so they go through httpx's ASGI
transport on the test's own event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from tests.integration.http.conftest import BASE_URL
from todo_api.entrypoints.container import Container, close_container
from todo_api.entrypoints.http.app import create_app


@asynccontextmanager
async def concurrent_client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(container))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield client
    finally:
        await close_container(container)
