"""The Idempotency-Key header of the create endpoints, as the core's `Once`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import msgspec
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.params import HeaderParameter

from todo_api.application.idempotency import Once
from todo_api.application.outcome import Outcome
from todo_api.entrypoints.http.versions import etag

T = TypeVar("T")

IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description=(
            "1 to 255 visible ASCII characters, new for each new request: a retry with the same"
            " key and body within 24 hours gets the first answer again (with"
            " Idempotent-Replayed: true) and acts no second time; another body is 422"
            " IDEMPOTENCY_KEY_REUSED."
        ),
    ),
]


def once(
    key: str | None,
    request: Request,
    body: msgspec.Struct | None,
    render: Callable[[T], tuple[int, msgspec.Struct]],
) -> Once[T] | None:
    """The request's `Once`, described by its route, path and decoded body (so a retry that
    only spaces its JSON differently is the same request)."""
    if key is None:
        return None
    described = f"{request.method} {request.url.path}\n".encode() + (
        msgspec.json.encode(body, enc_hook=_plain) if body is not None else b""
    )

    def outcome(result: T) -> Outcome:
        status, payload = render(result)
        return Outcome(status, msgspec.json.encode(payload))

    return Once(key=key, request=described, render=outcome)


class _Versioned(msgspec.Struct):
    """What a stored answer says of its resource's version (tasks and tags carry one)."""

    version: int | None = None


def replayed(outcome: Outcome) -> Response[bytes]:
    """The first answer again: its status, its body, and the ETag its body's version gave it."""
    headers = {"Idempotent-Replayed": "true"}
    version = msgspec.json.decode(outcome.body, type=_Versioned).version
    if version is not None:
        headers["ETag"] = etag(version)
    return Response(
        outcome.body, status_code=outcome.status, media_type=MediaType.JSON, headers=headers
    )


def _plain(value: object) -> object:
    # Bodies hold ids as an int subclass (schemas/json_int.py), which msgspec will not encode.
    if isinstance(value, int):
        return int(value)
    raise TypeError(f"cannot describe {type(value).__name__}")
