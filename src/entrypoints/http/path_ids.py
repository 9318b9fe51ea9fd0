"""Path identifiers, parsed here so a malformed one is a 422 rather than an unmatched route."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar.params import Parameter

from todo_api.entrypoints.http.errors import RequestValidationError

# Identity columns are Postgres integers; a larger id cannot exist and must not reach the driver.
MAX_INT_ID = 2**31 - 1


def parse_uuid(raw: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise RequestValidationError(f"'{field}' must be a UUID.", field=field) from None


def parse_int_id(raw: str, field: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_INT_ID:
        raise RequestValidationError(
            f"'{field}' must be an integer between 1 and {MAX_INT_ID}.", field=field
        )
    return int(raw)


# How the documentation describes what these parsers accept: the handlers take text, so that a
# malformed value gets the contract's error rather than the framework's.
IntId = Annotated[
    str, Parameter(schema_extra={"type": "integer", "minimum": 1, "maximum": MAX_INT_ID})
]
UuidId = Annotated[str, Parameter(schema_extra={"type": "string", "format": "uuid"})]
