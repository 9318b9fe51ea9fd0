"""Reading the login body: the OAuth2 password form, or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.openapi.spec import OpenAPIMediaType, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

from todo_api.entrypoints.http.errors import (
    RequestValidationError,
    UnsupportedMediaType,
    field_from_message,
)
from todo_api.entrypoints.http.openapi import ContractOperation
from todo_api.entrypoints.http.schemas.auth import LoginJson

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_credentials(request: Request) -> tuple[str, str]:
    """Return (email, password) from either body form; refuse anything else clearly."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        # Parsed strictly: the framework's parser replaces bytes that are not UTF-8, and a
        # password must never be compared after such a silent change.
        try:
            pairs = parse_qsl((await request.body()).decode("utf-8"), errors="strict")
        except UnicodeDecodeError:
            raise RequestValidationError("The body is not valid UTF-8.") from None
        fields = dict(pairs)
        return _form_field(fields, "username"), _form_field(fields, "password")
    if media_type in _FORM_TYPES:
        form = await request.form()
        return _form_field(form, "username"), _form_field(form, "password")
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            body = msgspec.json.decode(await request.body(), type=LoginJson)
        except msgspec.ValidationError as error:
            raise RequestValidationError(
                f"Invalid request: {error}", field=field_from_message(str(error))
            ) from None
        except msgspec.DecodeError:
            raise RequestValidationError("The body is not valid JSON.") from None
        return body.email, body.password
    raise UnsupportedMediaType(
        "Send the credentials as application/x-www-form-urlencoded or application/json."
    )


def _form_field(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    if not isinstance(value, str):
        raise RequestValidationError(f"The form field '{name}' is required.", field=name)
    return value


def _string(description: str) -> Schema:
    return Schema(type=OpenAPIType.STRING, description=description)


LOGIN_REQUEST_BODY = RequestBody(
    required=True,
    description="Email and password, as the OAuth2 password-grant form or as JSON.",
    content={
        "application/x-www-form-urlencoded": OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                required=["username", "password"],
                properties={
                    "username": _string("The account's email address"),
                    "password": _string("The password"),
                    "grant_type": _string("Optional; 'password'"),
                },
            )
        ),
        "application/json": OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                required=["email", "password"],
                properties={"email": _string("Email"), "password": _string("Password")},
            )
        ),
    },
)


@dataclass
class LoginOperation(ContractOperation):
    """The login operation, documented with both body forms it accepts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_body = LOGIN_REQUEST_BODY
