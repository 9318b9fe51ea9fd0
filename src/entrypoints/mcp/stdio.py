"""`todo-api mcp`: the MCP tool server on stdin/stdout, acting with the token in TODO_API_TOKEN.

An MCP client (a desktop assistant, an agent framework) starts it as a subprocess. It connects
to the database as the library does (DATABASE_URL and the other settings); logs go to stderr,
since stdout carries the protocol.
"""

from __future__ import annotations

import asyncio
import os
import sys

from mcp.server.stdio import stdio_server

from todo_api.entrypoints.mcp.server import build_server
from todo_api.entrypoints.service import TodoService
from todo_api.entrypoints.settings import Settings

__all__ = ["run_stdio"]


def run_stdio(settings: Settings, version: str = "") -> int:
    token = os.environ.get("TODO_API_TOKEN", "").strip()
    if not token:
        print(
            "todo-api mcp: set TODO_API_TOKEN to a personal API token (POST /api/v1/auth/tokens)",
            file=sys.stderr,
        )
        return 2

    async def main() -> None:
        async with TodoService.open(settings) as todo:
            server = build_server(todo, lambda _: token, version)
            async with stdio_server() as (read, write):
                await server.run(read, write, server.create_initialization_options())

    asyncio.run(main())
    return 0
