"""The webhook sender against a real HTTP endpoint: private addresses refused before any
connection, the checked address pinned, no redirect followed, the response cut to 1 KiB."""

from __future__ import annotations

import pytest

from tests.support.receiver import receiver
from todo_api.adapters.webhooks.http_sender import HttpWebhookSender
from todo_api.application.errors import InvalidWebhookUrl


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.0.1/hook",
        "http://100.64.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fd00::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost/hook",
    ],
)
async def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(InvalidWebhookUrl):
        await HttpWebhookSender().check(url)


async def test_a_public_address_passes_the_check() -> None:
    await HttpWebhookSender().check("https://93.184.216.34/hook")


async def test_nothing_is_sent_to_a_refused_address() -> None:
    with receiver() as endpoint:
        result = await HttpWebhookSender().send(endpoint.url, {}, b"{}")
        assert endpoint.requests == []
    assert result.status is None and "private" in (result.error or "")


async def test_a_name_that_resolves_to_a_private_address_is_refused_at_connection() -> None:
    with receiver() as endpoint:
        result = await HttpWebhookSender().send(f"http://localhost:{endpoint.port}/hook", {}, b"{}")
        assert endpoint.requests == []
    assert result.status is None and "private" in (result.error or "")


async def test_the_connection_goes_to_the_checked_address_under_the_original_name() -> None:
    with receiver() as endpoint:
        url = f"http://localhost:{endpoint.port}/hook?x=1"
        result = await HttpWebhookSender(allow_private=True).send(
            url, {"webhook-id": "msg_1"}, b'{"a":1}'
        )
        (request,) = endpoint.requests
    assert result.delivered and result.status == 204
    assert request.headers["host"] == f"localhost:{endpoint.port}"
    assert (request.path, request.body, request.headers["webhook-id"]) == (
        "/hook?x=1",
        b'{"a":1}',
        "msg_1",
    )


async def test_redirects_are_not_followed_and_the_response_is_cut() -> None:
    with receiver() as endpoint:
        endpoint.statuses = [302]
        endpoint.location = "http://169.254.169.254/latest/meta-data/"
        endpoint.answer = b"x" * 5000
        result = await HttpWebhookSender(allow_private=True).send(endpoint.url, {}, b"{}")
        assert len(endpoint.requests) == 1
    assert (result.status, result.error, result.delivered) == (302, "HTTP 302", False)
    assert result.response == "x" * 1024


async def test_a_closed_port_is_a_failed_attempt_not_an_exception() -> None:
    with receiver() as endpoint:
        port = endpoint.port
    result = await HttpWebhookSender(allow_private=True).send(
        f"http://127.0.0.1:{port}/hook", {}, b"{}"
    )
    assert result.status is None and "ConnectError" in (result.error or "")
