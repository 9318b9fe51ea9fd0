"""A web page in headless Chromium follows the event stream (SPEC 15): a task created by another
client appears in the page without a reload. The page reads the stream with fetch() and the
Bearer token (EventSource cannot send one), from an origin of its own listed in CORS_ORIGINS."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import httpx
import pytest

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

PASSWORD = "correct horse battery"
PAGE = """<!doctype html>
<meta charset="utf-8">
<title>todo events</title>
<p id="status">connecting</p>
<ul id="events"></ul>
<script>
const params = new URLSearchParams(location.hash.slice(1));
async function follow() {
  const response = await fetch(params.get("api") + "/api/v1/events/stream", {
    headers: {Authorization: "Bearer " + params.get("token")},
  });
  document.getElementById("status").textContent = "open " + response.status;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\\r\\n\\r\\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      const data = block.split("\\r\\n").filter(l => l.startsWith("data: ")).map(l => l.slice(6));
      if (data.length) {
        const event = JSON.parse(data.join("\\n"));
        const item = document.createElement("li");
        item.textContent = event.type + ": " + event.data.title;
        document.getElementById("events").append(item);
      }
    }
  }
}
follow().catch(error => document.getElementById("status").textContent = "failed " + error);
</script>
"""


@pytest.fixture
def page_origin(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text(PAGE)

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_task_created_elsewhere_appears_in_the_page(
    tmp_path: Path, postgres_server: str, page_origin: str, browser: object
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    env = base_env(
        APP_ENV="test",
        DATABASE_URL=create_database(postgres_server, "todo_stream_page"),
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
        CORS_ORIGINS=page_origin,
    )
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as api, httpx.Client(base_url=api, timeout=10) as client:
        client.post(
            "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
        token = client.post(
            "/api/v1/auth/login", data={"username": "ann@example.com", "password": PASSWORD}
        ).json()["access_token"]
        driver = browser
        driver.get(f"{page_origin}/index.html#api={api}&token={token}")  # type: ignore[attr-defined]
        wait = WebDriverWait(driver, 15)
        wait.until(lambda d: d.find_element(By.ID, "status").text == "open 200")
        client.post(
            "/api/v1/tasks",
            headers={"Authorization": f"Bearer {token}"},
            json={"title": "water the plants"},
        )
        wait.until(
            lambda d: (
                "task.created: water the plants"
                in [item.text for item in d.find_elements(By.CSS_SELECTOR, "#events li")]
            )
        )
