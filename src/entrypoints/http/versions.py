"""ETag and If-Match: a task's or tag's version, as HTTP carries it (RFC 9110, section 13)."""

from __future__ import annotations

import re
from typing import Annotated, TypeVar

from litestar import Response
from litestar.params import HeaderParameter

from todo_api.application.preconditions import IfMatch

T = TypeVar("T")

IfMatchHeader = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description=(
            'The ETag you read ("3"), or *: the write applies only to that version, else 412'
            " PRECONDITION_FAILED with the current version. Without it the last write wins."
        ),
    ),
]

_STRONG_TAG = re.compile(r'^"(\d{1,18})"$')


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(raw: str | None) -> IfMatch | None:
    """The versions an If-Match header allows; None without the header.

    If-Match compares strongly: weak tags (W/"3") and anything malformed match nothing, so a
    write that names them is refused rather than applied blindly.
    """
    if raw is None:
        return None
    versions: set[int] = set()
    for candidate in raw.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return IfMatch.any()
        if match := _STRONG_TAG.match(candidate):
            versions.add(int(match.group(1)))
    return IfMatch(frozenset(versions))


def with_etag(body: T, version: int, status_code: int = 200) -> Response[T]:
    return Response(body, status_code=status_code, headers={"ETag": etag(version)})
