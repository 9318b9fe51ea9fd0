"""The host drives todo-api in-process through its facade, next to its own `domain` package."""

import asyncio
import json
import sys

from domain.errors import HostError  # the host's, not todo-api's
from todo_api import TodoService
from todo_api.application.tasks.input import TaskInput
from todo_api.domain.task import Title
from todo_api.entrypoints.settings import load_settings


async def main() -> None:
    settings = load_settings(None, app_env="test", database_url=sys.argv[1], db_schema="todo")
    async with TodoService.open(settings) as todo:
        await todo.register("host-user@example.com", "correct horse battery")
        tokens = await todo.log_in("host-user@example.com", "correct horse battery")
        me = await todo.authenticate(tokens.access.token)
        task = await todo.create_task(me.user_id, TaskInput(title=Title("Written by the host")))
        page = await todo.list_tasks(me.user_id)
    print(
        json.dumps(
            {
                "host_error": HostError.__module__,
                "task_id": task.id,
                "titles": [t.title for t in page.items],
                "total": page.total,
            }
        )
    )


asyncio.run(main())
