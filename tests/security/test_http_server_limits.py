"""What one client can make a real `todo-api serve` spend on its connections: header size and
count, slow or silent connections, connection count (issue 10, findings 2 and 3; SPEC 12)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.processes import base_env, run_cli, running_server

HEADER_TIMEOUT = 1.5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("limits")
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'todo.db'}",
        HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        KEEP_ALIVE_TIMEOUT="1",
        MAX_CONNECTIONS="8",
    )
    run_cli("db", "upgrade", cwd=workdir, env=env)
    with running_server(workdir, env) as url:
        yield url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _status_and_body(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def test_headers_over_16_kib_get_431_in_the_error_shape(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n")
        status, body = _status_and_body(_read_all(sock))  # the server closes the connection
    assert (status, body["code"]) == (431, "HEADERS_TOO_LARGE")


def test_a_header_that_never_ends_is_cut_off_not_buffered(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        sent = 0
        with pytest.raises((ConnectionResetError, BrokenPipeError)):  # the server refused
            while sent < 50 * 1024 * 1024:
                sock.sendall(b"a" * 65536)
                sent += 65536
    # Refused after 16 KiB; what gets through meanwhile is the kernels' socket buffers.
    assert sent < 8 * 1024 * 1024


def test_more_than_100_header_fields_get_431(server: str) -> None:
    fields = b"".join(b"X-F%d: v\r\n" % n for n in range(101))
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
        status, body = _status_and_body(_read_all(sock))
    assert (status, body["code"]) == (431, "HEADERS_TOO_LARGE")


def test_100_fields_and_ordinary_requests_still_pass(server: str) -> None:
    # httpx adds five of its own (host, accept, accept-encoding, connection, user-agent).
    headers = {f"x-f{n}": "v" for n in range(95)}
    assert httpx.get(f"{server}/health", headers=headers).status_code == 200


def test_a_slowloris_connection_is_closed_after_the_header_timeout(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert sock.recv(1) == b""  # closed by the server, nothing answered
    assert time.monotonic() - started < HEADER_TIMEOUT + 5


def test_a_silent_connection_is_closed_too(server: str) -> None:
    with _connect(server) as sock:
        assert sock.recv(1) == b""


def test_the_headers_of_a_second_request_on_a_connection_are_timed_too(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b'{"status":"ok"}'):
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        assert sock.recv(1) == b""


def test_open_connections_beyond_the_cap_get_503(server: str) -> None:
    idle = [_connect(server) for _ in range(8)]
    try:
        time.sleep(0.2)
        response = httpx.get(f"{server}/health")
        assert response.status_code == 503
        assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.2)
    assert httpx.get(f"{server}/health").status_code == 200


def test_malformed_http_answers_in_the_error_shape(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GARBAGE\x00 / HTTP/1.1\r\n\r\n")
        status, body = _status_and_body(_read_all(sock))
    assert (status, body["code"]) == (400, "MALFORMED_REQUEST")
