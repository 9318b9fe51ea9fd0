"""Use todo-api in-process, on an embedded SQLite file, without HTTP.

Run: .venv/bin/python examples/in_process.py [DATABASE_FILE]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from todo_api.application.errors import TagAlreadyExists
from todo_api.application.listing import TaskListing, TaskStatus
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.domain.tag import Color, TagName
from todo_api.domain.task import Title
from todo_api.domain.user import DisplayName
from todo_api.entrypoints import migrations
from todo_api.entrypoints.service import TodoService
from todo_api.entrypoints.settings import load_settings


async def main(database: Path) -> None:
    settings = load_settings(
        None, app_env="test", database_url=f"sqlite+aiosqlite:///{database}", bcrypt_rounds=4
    )
    migrations.upgrade(settings.database_url)
    async with TodoService.open(settings) as todo:
        await todo.register("ann@example.com", "correct horse battery", name=DisplayName("Ann"))
        tokens = await todo.log_in("ann@example.com", "correct horse battery")
        ann = await todo.authenticate(tokens.access.token)

        work = await todo.create_tag(ann.user_id, TagName("work"), Color("#3366ff"))
        try:
            await todo.create_tag(ann.user_id, TagName("WORK"))
        except TagAlreadyExists as error:
            print(f"refused as over HTTP: {error.code}")
        report = await todo.create_task(
            ann.user_id,
            TaskInput(
                title=Title("Write the report"),
                due_date=datetime(2026, 12, 1, 9, tzinfo=UTC),
                recurrence_rule="FREQ=WEEKLY;COUNT=3",
                tag_ids=[work.id],
            ),
        )
        await todo.update_task(ann.user_id, report.id, TaskPatch(completed=True))
        page = await todo.list_tasks(
            ann.user_id, TaskListing(status=TaskStatus.PENDING, tag="work")
        )
        for task in page.items:
            rule = task.recurrence_rule or "once"
            print(f"pending: {task.title} due {task.due_date:%Y-%m-%d} ({rule})")
        assert page.total == 1, "completing a recurring task creates its next occurrence"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "todo.db"
    asyncio.run(main(target))
