"""The caller's tags."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from todo_api.application.auth.principal import Principal
from todo_api.application.idempotency import Once
from todo_api.application.tags.manage import CreateTag, DeleteTag, GetTag, ListTags, UpdateTag
from todo_api.domain.api_token import Scope
from todo_api.domain.ids import TagId
from todo_api.domain.tag import Tag
from todo_api.entrypoints.http.dependencies import AUTHENTICATED, NO_STORE, authenticated_use_case
from todo_api.entrypoints.http.idempotency import IdempotencyKeyHeader, once
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.path_ids import IntId, parse_int_id
from todo_api.entrypoints.http.schemas.tasks import TagPatchBody, TagRead, TagWrite
from todo_api.entrypoints.http.scopes import needs
from todo_api.entrypoints.http.versions import IfMatchHeader, if_match, with_etag

_WRITE_ERRORS = error_responses(400, 401, 403, 404, 412, 422, 503)


def _tag_id(raw: str) -> TagId:
    return TagId(parse_int_id(raw, "tag_id"))


class TagController(Controller):
    path = "/api/v1/tags"
    tags = ["tags"]
    dependencies = AUTHENTICATED
    security = BEARER
    cache_control = NO_STORE
    opt = needs(Scope.TAGS_WRITE)  # reads say tags:read

    @post(
        "/",
        dependencies={"create_tag": authenticated_use_case("create_tag")},
        responses=error_responses(400, 401, 403, 422, 503),
        summary="Create a tag",
        operation_class=ContractOperation,
    )
    async def create(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        data: JSONBody[TagWrite],
        create_tag: NamedDependency[CreateTag],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[TagRead]:
        once_only: Once[Tag] | None = once(
            idempotency_key, request, data, lambda t: (201, TagRead.of(t))
        )
        tag = await create_tag.execute(
            principal.user_id, data.tag_name(), data.tag_color(), once_only
        )
        return with_etag(TagRead.of(tag), tag.version, status_code=201)

    @get(
        "/",
        dependencies={"list_tags": authenticated_use_case("list_tags")},
        responses=error_responses(401, 403, 503),
        summary="All tags, by name",
        operation_class=ContractOperation,
        opt=needs(Scope.TAGS_READ),
    )
    async def index(
        self, principal: NamedDependency[Principal], list_tags: NamedDependency[ListTags]
    ) -> list[TagRead]:
        return [TagRead.of(tag) for tag in await list_tags.execute(principal.user_id)]

    @get(
        "/{tag_id:str}",
        dependencies={"get_tag": authenticated_use_case("get_tag")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="One tag",
        operation_class=ContractOperation,
        opt=needs(Scope.TAGS_READ),
    )
    async def show(
        self,
        principal: NamedDependency[Principal],
        tag_id: IntId,
        get_tag: NamedDependency[GetTag],
    ) -> Response[TagRead]:
        tag = await get_tag.execute(principal.user_id, _tag_id(tag_id))
        return with_etag(TagRead.of(tag), tag.version)

    @put(
        "/{tag_id:str}",
        dependencies={"update_tag": authenticated_use_case("update_tag")},
        responses=_WRITE_ERRORS,
        summary="Replace a tag",
        operation_class=ContractOperation,
    )
    async def replace(
        self,
        principal: NamedDependency[Principal],
        tag_id: IntId,
        data: JSONBody[TagWrite],
        update_tag: NamedDependency[UpdateTag],
        if_match_header: IfMatchHeader = None,
    ) -> Response[TagRead]:
        tag = await update_tag.execute(
            principal.user_id, _tag_id(tag_id), data.to_patch(), if_match(if_match_header)
        )
        return with_etag(TagRead.of(tag), tag.version)

    @patch(
        "/{tag_id:str}",
        dependencies={"update_tag": authenticated_use_case("update_tag")},
        responses=_WRITE_ERRORS,
        summary="Change a tag's name or colour",
        operation_class=ContractOperation,
    )
    async def amend(
        self,
        principal: NamedDependency[Principal],
        tag_id: IntId,
        data: JSONBody[TagPatchBody],
        update_tag: NamedDependency[UpdateTag],
        if_match_header: IfMatchHeader = None,
    ) -> Response[TagRead]:
        tag = await update_tag.execute(
            principal.user_id, _tag_id(tag_id), data.to_patch(), if_match(if_match_header)
        )
        return with_etag(TagRead.of(tag), tag.version)

    @delete(
        "/{tag_id:str}",
        dependencies={"delete_tag": authenticated_use_case("delete_tag")},
        responses=error_responses(401, 403, 404, 412, 422, 503),
        summary="Delete a tag; its tasks stay",
        operation_class=ContractOperation,
    )
    async def remove(
        self,
        principal: NamedDependency[Principal],
        tag_id: IntId,
        delete_tag: NamedDependency[DeleteTag],
        if_match_header: IfMatchHeader = None,
    ) -> None:
        await delete_tag.execute(principal.user_id, _tag_id(tag_id), if_match(if_match_header))
