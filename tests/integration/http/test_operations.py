"""Health, readiness, metrics and the OpenAPI document."""

import httpx

from tests.integration.http.conftest import assert_error, signed_in


async def test_health_is_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_ready_when_the_database_is_migrated(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    await client.get("/api/v1/auth/me", headers=headers)
    response = await client.get("/metrics")
    text = response.text
    assert response.headers["content-type"].count("charset") == 1
    assert 'todo_api_requests_total{method="GET",route="/api/v1/auth/me",status="200"}' in text
    assert "todo_api_request_duration_seconds_bucket" in text


async def test_openapi_documents_every_auth_endpoint_and_its_errors(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path in (
        "/register",
        "/login",
        "/refresh",
        "/logout",
        "/me",
        "/me/password",
        "/sessions",
        "/sessions/{session_id}",
        "/logout-all",
    ):
        assert f"/api/v1/auth{path}" in paths, path
    login = paths["/api/v1/auth/login"]["post"]
    assert {"application/x-www-form-urlencoded", "application/json"} <= set(
        login["requestBody"]["content"]
    )
    assert {"401", "429"} <= set(login["responses"])
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/v1/auth/login"


async def test_docs_pages_are_served(client: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "text/html" in response.headers["content-type"]


async def test_docs_pages_load_their_assets_from_the_service_not_a_cdn(
    client: httpx.AsyncClient,
) -> None:
    import re

    for page in ("/docs", "/redoc"):
        html = (await client.get(page)).text
        assert "://" not in html, "the page must not reach outside the service"
        assets = re.findall(r"(?:src|href)=[\"'](/[^\"']+)", html)
        assert any(a.endswith(".js") for a in assets), page
        for asset in assets:
            response = await client.get(asset)
            assert response.status_code == 200, asset
            assert len(response.content) > 10_000, asset


async def test_the_document_types_parameters_and_lists_only_api_operations(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not {"/", "/docs", "/redoc", "/openapi.json", "/oauth2-redirect.html"} & set(
        document["paths"]
    )
    listing = {
        p["name"]: p["schema"] for p in document["paths"]["/api/v1/tasks"]["get"]["parameters"]
    }
    assert listing["page"]["type"] == listing["limit"]["type"] == "integer"
    assert listing["status"]["enum"] == ["all", "pending", "completed"]
    assert "-due_date" in listing["sort"]["enum"]
    # A query value is text: "array or null" let a fuzzer expect a number to be refused, which
    # the query string cannot tell from the tag named by that text.
    assert {k: v for k, v in listing["tag"].items() if k != "description"} == {
        "type": "array",
        "items": {"type": "string"},
        "maxItems": 20,
    }
    (task_id,) = document["paths"]["/api/v1/tasks/{task_id}"]["get"]["parameters"]
    assert task_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


async def test_an_empty_parameter_is_refused_as_the_document_says(
    client: httpx.AsyncClient,
) -> None:
    headers = await signed_in(client)
    for name, code in (
        ("status", "INVALID_STATUS"),
        ("sort", "INVALID_SORT_FIELD"),
        ("page", "INVALID_PAGINATION"),
        ("priority", "INVALID_PRIORITY"),
    ):
        response = await client.get("/api/v1/tasks", headers=headers, params={name: ""})
        assert_error(response, 400, code)
    assert (await client.get("/api/v1/tasks", headers=headers, params={"q": ""})).status_code == 200


async def test_no_operation_documents_the_frameworks_own_error_shape(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                # Litestar's own ValidationException body: never sent, malformed input is 422.
                assert "status_code" not in str(response), (method, path, status)
