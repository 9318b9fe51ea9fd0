"""The caller's webhooks and their delivery logs."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from todo_api.application.auth.principal import Principal
from todo_api.application.webhooks.manage import (
    CreateWebhook,
    DeleteWebhook,
    GetWebhook,
    ListDeliveries,
    ListWebhooks,
    TestWebhook,
    UpdateWebhook,
)
from todo_api.domain.api_token import Scope
from todo_api.entrypoints.http.dependencies import AUTHENTICATED, NO_STORE, authenticated_use_case
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.path_ids import IntId, parse_int_id
from todo_api.entrypoints.http.schemas.webhooks import (
    DeliveryRead,
    TestQueued,
    WebhookCreated,
    WebhookPatchBody,
    WebhookRead,
    WebhookWrite,
)
from todo_api.entrypoints.http.scopes import needs


def _webhook_id(raw: str) -> int:
    return parse_int_id(raw, "webhook_id")


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["webhooks"]
    dependencies = AUTHENTICATED
    security = BEARER
    cache_control = NO_STORE
    opt = needs(Scope.WEBHOOKS_WRITE)  # reading them too: they hold where your data goes

    @post(
        "/",
        dependencies={"create_webhook": authenticated_use_case("create_webhook")},
        responses=error_responses(400, 401, 403, 422, 503),
        summary="Subscribe a URL to events; the signing secret is shown this once",
        operation_class=ContractOperation,
    )
    async def create(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[WebhookWrite],
        create_webhook: NamedDependency[CreateWebhook],
    ) -> WebhookCreated:
        webhook = await create_webhook.execute(principal.user_id, data.to_input())
        return WebhookCreated.created(webhook)

    @get(
        "/",
        dependencies={"list_webhooks": authenticated_use_case("list_webhooks")},
        responses=error_responses(401, 403, 503),
        summary="The caller's webhooks",
        operation_class=ContractOperation,
    )
    async def index(
        self, principal: NamedDependency[Principal], list_webhooks: NamedDependency[ListWebhooks]
    ) -> list[WebhookRead]:
        return [WebhookRead.of(w) for w in await list_webhooks.execute(principal.user_id)]

    @get(
        "/{webhook_id:str}",
        dependencies={"get_webhook": authenticated_use_case("get_webhook")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="One webhook",
        operation_class=ContractOperation,
    )
    async def show(
        self,
        principal: NamedDependency[Principal],
        webhook_id: IntId,
        get_webhook: NamedDependency[GetWebhook],
    ) -> WebhookRead:
        webhook = await get_webhook.execute(principal.user_id, _webhook_id(webhook_id))
        return WebhookRead.of(webhook)

    @patch(
        "/{webhook_id:str}",
        dependencies={"update_webhook": authenticated_use_case("update_webhook")},
        responses=error_responses(400, 401, 403, 404, 422, 503),
        summary="Change a webhook's URL, events or description, or switch it on or off",
        operation_class=ContractOperation,
    )
    async def amend(
        self,
        principal: NamedDependency[Principal],
        webhook_id: IntId,
        data: JSONBody[WebhookPatchBody],
        update_webhook: NamedDependency[UpdateWebhook],
    ) -> WebhookRead:
        webhook = await update_webhook.execute(
            principal.user_id, _webhook_id(webhook_id), data.to_patch()
        )
        return WebhookRead.of(webhook)

    @delete(
        "/{webhook_id:str}",
        dependencies={"delete_webhook": authenticated_use_case("delete_webhook")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="Delete a webhook and its delivery log",
        operation_class=ContractOperation,
    )
    async def remove(
        self,
        principal: NamedDependency[Principal],
        webhook_id: IntId,
        delete_webhook: NamedDependency[DeleteWebhook],
    ) -> None:
        await delete_webhook.execute(principal.user_id, _webhook_id(webhook_id))

    @get(
        "/{webhook_id:str}/deliveries",
        dependencies={"list_deliveries": authenticated_use_case("list_deliveries")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="The latest 50 deliveries: status, response, duration, error",
        operation_class=ContractOperation,
    )
    async def deliveries(
        self,
        principal: NamedDependency[Principal],
        webhook_id: IntId,
        list_deliveries: NamedDependency[ListDeliveries],
    ) -> list[DeliveryRead]:
        found = await list_deliveries.execute(principal.user_id, _webhook_id(webhook_id))
        return [DeliveryRead.of(attempt) for attempt in found]

    @post(
        "/{webhook_id:str}/test",
        dependencies={"test_webhook": authenticated_use_case("test_webhook")},
        responses=error_responses(401, 403, 404, 422, 503),
        status_code=202,
        summary="Send a webhook.test event to this webhook",
        operation_class=ContractOperation,
    )
    async def test(
        self,
        principal: NamedDependency[Principal],
        webhook_id: IntId,
        test_webhook: NamedDependency[TestWebhook],
    ) -> TestQueued:
        event = await test_webhook.execute(principal.user_id, _webhook_id(webhook_id))
        return TestQueued(event_id=event.id)
