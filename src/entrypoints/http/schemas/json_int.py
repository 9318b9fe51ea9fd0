"""A body integer that must be a JSON integer: Litestar converts bodies leniently.

Litestar hands a decoded body to msgspec with `strict=False`, which turns `"1"`, `1.0` and `true`
into `1`. A tag id sent as a string is a client bug worth reporting, not a number to guess, so
ids in bodies are this type: msgspec passes the raw value to the app's type decoder below.
"""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from todo_api.entrypoints.http.path_ids import MAX_INT_ID


class BodyId(int):
    """An identifier in a request body: a JSON integer from 1 to `MAX_INT_ID`."""


def is_body_id(target: Any) -> bool:
    return target is BodyId


def decode_body_id(target: type[BodyId], value: Any) -> BodyId:
    # bool is an int subclass; only a JSON integer itself is accepted.
    if type(value) is not int or not 1 <= value <= MAX_INT_ID:
        raise ValueError(f"Expected an integer between 1 and {MAX_INT_ID}")
    return target(value)


class BodyIdSchema(OpenAPISchemaPlugin):
    """Documents `BodyId` as the bounded integer it is."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is BodyId

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_INT_ID)


TYPE_DECODERS = [(is_body_id, decode_body_id)]
