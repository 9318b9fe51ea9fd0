"""todo-api: personal task management as a library and an HTTP service.

`TodoService` is the library's front door (docs/library.md); the layers live beneath it as
`todo_api.domain`, `todo_api.application`, `todo_api.adapters` and `todo_api.entrypoints`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from todo_api.entrypoints.service import TodoService

__all__ = ["TodoService"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import todo_api.domain` does not load the web stack.
    if name == "TodoService":
        from todo_api.entrypoints.service import TodoService

        return TodoService
    raise AttributeError(f"module 'todo_api' has no attribute {name!r}")
