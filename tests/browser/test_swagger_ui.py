"""Swagger UI in headless Chromium: log in through Authorize, call GET /auth/me, see the user.

Chromium and ChromeDriver come from Debian (.ci/run installs them when missing). The screenshot
is kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, postgres_server: str) -> Iterator[str]:
    workdir = Path(tmp_path_factory.mktemp("browser"))
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=create_database(postgres_server, "todo_browser"),
        BCRYPT_ROUNDS="4",
        # Swagger UI is served over plain http here; a Secure cookie would not come back.
        COOKIE_SECURE="false",
    )
    run_cli("db", "upgrade", cwd=workdir, env=env)
    with running_server(workdir, env) as url:
        httpx.post(
            f"{url}/api/v1/auth/register",
            json={"email": "swagger@example.com", "password": PASSWORD, "name": "Swagger"},
        ).raise_for_status()
        yield url


def test_authorize_then_call_me_from_swagger_ui(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    wait = WebDriverWait(driver, 20)
    driver.get(f"{server}/docs")  # type: ignore[attr-defined]
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "button.authorize"))).click()
    wait.until(ec.visibility_of_element_located((By.ID, "oauth_username"))).send_keys(
        "swagger@example.com"
    )
    driver.find_element(By.ID, "oauth_password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, ".auth-btn-wrapper button.authorize"
    ).click()
    wait.until(ec.visibility_of_element_located((By.XPATH, "//h6[contains(., 'Authorized')]")))
    driver.find_element(By.CSS_SELECTOR, "button.btn-done").click()  # type: ignore[attr-defined]

    operation = wait.until(
        ec.element_to_be_clickable(
            (
                By.XPATH,
                "//div[contains(@class,'opblock-get')]"
                "[.//*[@data-path='/api/v1/auth/me']]//button[contains(@class,'opblock-summary-control')]",
            )
        )
    )
    operation.click()
    wait.until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, ".opblock-get.is-open button.try-out__btn"))
    ).click()
    wait.until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, ".opblock-get.is-open button.execute"))
    ).click()
    body = wait.until(
        ec.visibility_of_element_located(
            (
                By.CSS_SELECTOR,
                ".opblock-get.is-open .live-responses-table .response-col_description pre",
            )
        )
    )
    wait.until(lambda _: "swagger@example.com" in body.text)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "swagger-ui-me.png"))  # type: ignore[attr-defined]
    assert '"email": "swagger@example.com"' in body.text
    assert '"name": "Swagger"' in body.text
