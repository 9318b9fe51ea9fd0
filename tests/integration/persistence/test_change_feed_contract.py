"""The change feed every store must keep (memory, SQLite, Postgres): each write and deletion of a
task numbered after the ones before, nothing final left out, only the owner's (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.persistence.conftest import UowFactory
from tests.integration.persistence.test_task_repository_contract import _tag, _task, _user
from todo_api.application.changes import ChangeBatch, SyncPosition
from todo_api.domain.ids import UserId
from todo_api.domain.tag import Color, TagName

START = SyncPosition(0, 0)


async def _feed(
    uow_factory: UowFactory, user: UserId, after: SyncPosition = START, limit: int = 100
) -> ChangeBatch:
    async with uow_factory() as uow:
        return await uow.tasks.changes(user, after, limit, deletions_from=0)


async def test_writes_come_in_order_and_each_task_once_at_its_last_change(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    first = await _task(uow_factory, ann, "first")
    second = await _task(uow_factory, ann, "second")
    async with uow_factory() as uow:
        first.completed = True
        await uow.tasks.update(first, tags_changed=False)
        await uow.commit()
    batch = await _feed(uow_factory, ann)
    assert [(t.title, t.completed) for t, _ in batch.changed] == [
        ("second", False),
        ("first", True),
    ]
    positions = [p for _, p in batch.changed]
    assert positions == sorted(positions) and positions[-1].number < batch.horizon
    # After the last position there is nothing more, until the next write.
    assert (await _feed(uow_factory, ann, positions[-1])).changed == []
    await _task(uow_factory, ann, "third")
    after = await _feed(uow_factory, ann, positions[-1])
    assert [t.title for t, _ in after.changed] == ["third"]
    assert after.changed[0][1].number >= batch.horizon
    del second


async def test_deletions_and_tag_changes_are_changes(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    kept = await _task(uow_factory, ann, "kept", tags=[tag])
    gone = await _task(uow_factory, ann, "gone")
    mark = (await _feed(uow_factory, ann)).changed[-1][1]
    async with uow_factory() as uow:
        assert await uow.tasks.delete(ann, gone.id)
        assert await uow.tags.delete(ann, tag.id)
        await uow.commit()
    batch = await _feed(uow_factory, ann, mark)
    assert [(t.title, t.tags) for t, _ in batch.changed] == [("kept", [])]
    assert [task_id for task_id, _ in batch.deleted] == [gone.id]
    assert batch.changed[0][0].version == kept.version + 1
    async with uow_factory() as uow:
        only_changes = await uow.tasks.changes(ann, mark, 100, deletions_from=None)
    assert only_changes.deleted == []


async def test_renaming_or_recolouring_a_tag_changes_its_tasks(uow_factory: UowFactory) -> None:
    """A task shows its tags' names and colours: when they change, so does the task (a new
    version for its strong ETag, and a change for delta sync), and only the tasks carrying it."""
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    carrier = await _task(uow_factory, ann, "carrier", tags=[tag])
    await _task(uow_factory, ann, "bystander")
    mark = (await _feed(uow_factory, ann)).changed[-1][1]
    async with uow_factory() as uow:
        tag.rename(TagName("job"))
        assert await uow.tags.update(tag)
        await uow.commit()
    batch = await _feed(uow_factory, ann, mark)
    assert [(t.title, [g.name for g in t.tags]) for t, _ in batch.changed] == [("carrier", ["job"])]
    assert batch.changed[0][0].version == carrier.version + 1
    async with uow_factory() as uow:
        tag.recolor(Color("#112233"))
        assert await uow.tags.update(tag)
        await uow.commit()
    recoloured = await _feed(uow_factory, ann, batch.changed[-1][1])
    assert [(t.title, t.version) for t, _ in recoloured.changed] == [
        ("carrier", carrier.version + 2)
    ]


async def test_limits_and_owners(uow_factory: UowFactory) -> None:
    ann, bob = await _user(uow_factory), await _user(uow_factory, "bob@example.com")
    for n in range(4):
        await _task(uow_factory, ann, f"a{n}")
    bobs = await _task(uow_factory, bob, "b")
    async with uow_factory() as uow:
        await uow.tasks.delete(bob, bobs.id)
        await uow.commit()
    batch = await _feed(uow_factory, ann, limit=2)
    assert [t.title for t, _ in batch.changed] == ["a0", "a1", "a2"]  # the page and one more
    assert batch.deleted == []


async def test_a_deleted_tasks_id_is_never_given_to_a_new_one(uow_factory: UowFactory) -> None:
    # A syncing client, an ETag or a webhook receiver would take the new task for the old one,
    # and the old one's deletion would vanish from the feed.
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "old")
    newest = await _task(uow_factory, ann, "newest")
    async with uow_factory() as uow:
        await uow.tasks.delete(ann, newest.id)
        await uow.tags.delete(ann, tag.id)
        await uow.commit()
    successor = await _task(uow_factory, ann, "successor")
    assert successor.id != newest.id
    assert (await _tag(uow_factory, ann, "new")).id != tag.id
    batch = await _feed(uow_factory, ann)
    assert [t.id for t, _ in batch.changed] == [successor.id]
    assert [task_id for task_id, _ in batch.deleted] == [newest.id]


async def test_old_deletions_are_forgotten(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    task = await _task(uow_factory, ann, "t")
    async with uow_factory() as uow:
        await uow.tasks.delete(ann, task.id)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.tasks.forget_deletions(ann, before=datetime.now(UTC) - timedelta(days=1))
        await uow.commit()
    assert len((await _feed(uow_factory, ann)).deleted) == 1
    async with uow_factory() as uow:
        await uow.tasks.forget_deletions(ann, before=datetime.now(UTC) + timedelta(minutes=1))
        await uow.commit()
    assert (await _feed(uow_factory, ann)).deleted == []


async def test_the_periodic_purge_forgets_everyones_old_deletions(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    bob = await _user(uow_factory, "bob@example.com")
    for user in (ann, bob):
        task = await _task(uow_factory, user, "t")
        async with uow_factory() as uow:
            await uow.tasks.delete(user, task.id)
            await uow.commit()
    async with uow_factory() as uow:
        await uow.tasks.forget_deletions(None, before=datetime.now(UTC) - timedelta(days=1))
        await uow.commit()
    assert len((await _feed(uow_factory, bob)).deleted) == 1
    async with uow_factory() as uow:
        await uow.tasks.forget_deletions(None, before=datetime.now(UTC) + timedelta(minutes=1))
        await uow.commit()
    assert (await _feed(uow_factory, ann)).deleted == []
    assert (await _feed(uow_factory, bob)).deleted == []
