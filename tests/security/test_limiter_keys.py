"""What one client can make the limiter store, and how per-IP budgets see IPv6 (issue 10,
findings 7 and 11; SPEC 12)."""

from __future__ import annotations

import httpx

from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.entrypoints.container import Container
from todo_api.entrypoints.http.guards import client_network


async def test_a_huge_email_costs_the_limiter_a_fixed_size_key(
    client: httpx.AsyncClient, container: Container
) -> None:
    huge = "x" * 500_000 + "@example.com"
    response = await client.post("/api/v1/auth/login", json={"email": huge, "password": "wrong"})
    assert response.status_code == 401
    limiter = container.rate_limiter()
    assert isinstance(limiter, InMemoryRateLimiter)
    keys = list(limiter._windows)
    assert keys and max(len(key) for key in keys) <= 64


def test_ipv6_clients_are_counted_per_64() -> None:
    one = client_network("2001:db8:1:2:aaaa::1")
    assert client_network("2001:db8:1:2:ffff:ffff:ffff:fffe") == one == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::1") != one


def test_ipv4_and_mapped_ipv4_clients_are_counted_per_address() -> None:
    assert client_network("203.0.113.9") == "203.0.113.9"
    assert client_network("::ffff:203.0.113.9") == "203.0.113.9"
    assert client_network("203.0.113.10") != client_network("203.0.113.9")
