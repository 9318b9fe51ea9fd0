"""The caller's events as they commit: Server-Sent Events with Last-Event-ID resumption."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from todo_api.application.auth.principal import Principal
from todo_api.application.events import Event, ListEvents
from todo_api.domain.api_token import Scope
from todo_api.entrypoints.event_bell import EventBell
from todo_api.entrypoints.http.dependencies import AUTHENTICATED, authenticated_use_case
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.scopes import needs

__all__ = ["event_stream"]

LastEventId = Annotated[
    str | None,
    HeaderParameter(
        name="Last-Event-ID",
        description="The id of the last message received: the stream resumes after it.",
        required=False,
    ),
]
# A comment line this often keeps proxies from closing an idle stream.
KEEP_ALIVE_SECONDS = 15.0
BATCH = 100


@get(
    "/api/v1/events/stream",
    dependencies={**AUTHENTICATED, "list_events": authenticated_use_case("list_events")},
    security=BEARER,
    tags=["events"],
    responses=error_responses(401, 403, 503),
    summary="Stream the caller's task and tag events as they commit (Server-Sent Events)",
    description=(
        "Each message has `id` (send the last one back as Last-Event-ID to resume), `event`"
        " (the type) and `data` (`{id, type, timestamp, data}` as a webhook body). Without"
        " Last-Event-ID the stream starts with the next event. A comment line comes every 15 s."
    ),
    operation_class=ContractOperation,
    media_type="text/event-stream",
    opt=needs(Scope.TASKS_READ),
)
async def event_stream(
    request: Request,
    state: State,
    principal: NamedDependency[Principal],
    list_events: NamedDependency[ListEvents],
    last_event_id: LastEventId = None,
) -> ServerSentEvent:
    user_id = principal.user_id
    resumed = _resumed_at(last_event_id)
    start = resumed if resumed is not None else await list_events.latest(user_id)
    bell: EventBell = state.event_bell

    async def messages() -> AsyncIterator[ServerSentEventMessage]:
        after = start
        # At once, so the client sees the stream open before the first event.
        yield ServerSentEventMessage(comment="open", data=None)
        quiet_since = time.monotonic()
        while not bell.closed:
            mark = bell.rings
            found = await list_events.execute(user_id, after, BATCH)
            for number, event in found:
                after = number
                yield ServerSentEventMessage(data=_body(event), event=event.type.value, id=number)
                quiet_since = time.monotonic()
            if found:
                continue
            if time.monotonic() - quiet_since >= KEEP_ALIVE_SECONDS:
                yield ServerSentEventMessage(comment="keep-alive", data=None)
                quiet_since = time.monotonic()
            await bell.wait(user_id, KEEP_ALIVE_SECONDS, since=mark)

    return ServerSentEvent(
        messages(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


def _resumed_at(raw: str | None) -> int | None:
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


def _body(event: Event) -> str:
    return json.dumps({"id": event.id, **event.body()}, separators=(",", ":"), ensure_ascii=False)
