"""The caller's personal API tokens (SPEC 16): made, listed and deleted by a signed-in session."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from todo_api.application.auth.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from todo_api.application.auth.principal import Principal
from todo_api.domain.api_token import TokenName, scopes_of
from todo_api.entrypoints.http.dependencies import AUTHENTICATED, NO_STORE, authenticated_use_case
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.path_ids import IntId, parse_int_id
from todo_api.entrypoints.http.schemas.auth import ApiTokenRead, ApiTokenWrite, IssuedApiTokenRead
from todo_api.entrypoints.http.scopes import SESSION_ONLY


class ApiTokenController(Controller):
    path = "/api/v1/auth/tokens"
    tags = ["account"]
    dependencies = AUTHENTICATED
    security = BEARER
    cache_control = NO_STORE
    opt = SESSION_ONLY  # a token never makes or sees tokens

    @post(
        "/",
        dependencies={"create_api_token": authenticated_use_case("create_api_token")},
        responses=error_responses(400, 401, 403, 422, 503),
        summary="Make a personal API token (shown this once)",
        operation_class=ContractOperation,
    )
    async def create(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[ApiTokenWrite],
        create_api_token: NamedDependency[CreateApiToken],
    ) -> IssuedApiTokenRead:
        issued = await create_api_token.execute(
            principal, TokenName(data.name), scopes_of(data.scopes), data.expires_in_days
        )
        return IssuedApiTokenRead.issued(issued)

    @get(
        "/",
        dependencies={"list_api_tokens": authenticated_use_case("list_api_tokens")},
        responses=error_responses(401, 403, 503),
        summary="The caller's API tokens, newest first",
        operation_class=ContractOperation,
    )
    async def index(
        self,
        principal: NamedDependency[Principal],
        list_api_tokens: NamedDependency[ListApiTokens],
    ) -> list[ApiTokenRead]:
        return [ApiTokenRead.of(token) for token in await list_api_tokens.execute(principal)]

    @delete(
        "/{token_id:str}",
        dependencies={"revoke_api_token": authenticated_use_case("revoke_api_token")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="Delete an API token: its next request is refused",
        operation_class=ContractOperation,
    )
    async def remove(
        self,
        principal: NamedDependency[Principal],
        token_id: IntId,
        revoke_api_token: NamedDependency[RevokeApiToken],
    ) -> None:
        await revoke_api_token.execute(principal, parse_int_id(token_id, "token_id"))
