"""The MCP tool server (SPEC 16): the tools of `tools.py` over the protocol's SDK, on stdio
(`todo-api mcp`, the token in TODO_API_TOKEN) or streamable HTTP (mounted at /mcp by the HTTP
app, the token as Bearer).

Every call authenticates its credential again (a deleted token is refused mid-session) and
checks the tool's scope; contract errors come back as tool errors whose text is the API's error
body, `{"detail", "code", "field"}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
import structlog
from mcp import types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from todo_api.domain.errors import TodoApiError
from todo_api.entrypoints.http.dependencies import bearer_token
from todo_api.entrypoints.mcp.tools import TOOLS, McpTool
from todo_api.entrypoints.service import TodoService

__all__ = ["INSTRUCTIONS", "build_server", "from_header"]

log = structlog.get_logger("todo_api.mcp")

INSTRUCTIONS = (
    "todo-api: the user's tasks and tags. Tasks have a title, optional description, priority"
    " (low, medium, high), due date, recurrence rule, tags and reminders. Use list_tags to find"
    " tag ids. Times are UTC unless a date alone is given (an all-day date in the user's time"
    " zone). Errors carry the API's code, such as TASK_NOT_FOUND or INSUFFICIENT_SCOPE."
)

Credential = Callable[[ServerRequestContext[Any, Any]], str | None]
_BY_NAME = {tool.name: tool for tool in TOOLS}


def from_header(ctx: ServerRequestContext[Any, Any]) -> str | None:
    """The Bearer token of the HTTP request that carries this call."""
    request = ctx.request
    headers = getattr(request, "headers", None)
    return bearer_token(headers.get("authorization")) if headers is not None else None


def build_server(todo: TodoService, credential: Credential, version: str = "") -> Server[Any]:
    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[_described(tool) for tool in TOOLS])

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        tool = _BY_NAME.get(params.name)
        if tool is None:
            return _error("UNKNOWN_TOOL", f"No tool is called {params.name!r}.")
        try:
            principal = await todo.authenticate(credential(ctx))
            principal.require(tool.scope)
            result = await tool.run(todo, principal, params.arguments or {})
        except TodoApiError as error:
            return _error(error.code, error.detail, error.field)
        except msgspec.ValidationError as error:
            return _error("VALIDATION_ERROR", str(error))
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structured_content=result
        )

    return Server(
        "todo-api",
        version=version,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def _described(tool: McpTool) -> types.Tool:
    return types.Tool(
        name=tool.name,
        description=f"{tool.description} Needs the {tool.scope} scope.",
        input_schema=tool.input_schema,
        annotations=types.ToolAnnotations(
            read_only_hint=tool.read_only, destructive_hint=tool.name == "delete_task"
        ),
    )


def _error(code: str, detail: str, field: str | None = None) -> types.CallToolResult:
    body = json.dumps({"detail": detail, "code": code, "field": field}, ensure_ascii=False)
    return types.CallToolResult(content=[types.TextContent(type="text", text=body)], is_error=True)
