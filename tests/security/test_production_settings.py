"""Production refuses to start with settings that quietly remove a defence (issue 10, finding 13;
SPEC 12)."""

from __future__ import annotations

import secrets

import pytest

from todo_api.entrypoints.settings import SettingsError, load_settings

GOOD = {"app_env": "production", "jwt_secret_key": secrets.token_hex(32)}


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"jwt_secret_key": "0" * 64}, "JWT_SECRET_KEY"),
        ({"jwt_secret_key": "ab" * 32}, "JWT_SECRET_KEY"),
        ({"cookie_secure": "false"}, "COOKIE_SECURE"),
        ({"cors_origins": "https://app.example.com,null"}, "CORS_ORIGINS"),
        ({"cors_origins": "*"}, "CORS_ORIGINS"),
    ],
)
def test_production_refuses_a_weakened_setting(overrides: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(None, **{**GOOD, **overrides})
    assert any(problem.startswith(named) for problem in refused.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(
            None, app_env="production", jwt_secret_key="0" * 64, cookie_secure="false",
            cors_origins="null",
        )  # fmt: skip
    assert len(refused.value.problems) == 3


def test_a_random_secret_and_listed_origins_start() -> None:
    settings = load_settings(None, **GOOD, cors_origins="https://app.example.com")
    assert settings.cookie_secure


def test_a_rule_across_settings_is_reported_with_the_field_errors() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(None, app_env="test", db_pool_min="10", db_pool_max="2", bcrypt_rounds="99")
    problems = refused.value.problems
    assert any(p.startswith("DB_POOL_MAX: must not be below DB_POOL_MIN") for p in problems)
    assert any(p.startswith("BCRYPT_ROUNDS") for p in problems)


def test_the_listen_url_is_a_postgres_url_beside_a_postgres_database() -> None:
    pg = "postgresql+psycopg://todo@db.internal/todo"
    settings = load_settings(None, app_env="test", database_url=pg)
    assert settings.listen_url == pg
    direct = load_settings(
        None, app_env="test", database_url=pg, database_listen_url="postgres://todo@db-0/todo"
    )
    assert direct.listen_url == "postgresql+psycopg://todo@db-0/todo"
    for database_url, listen_url in (
        (pg, "sqlite+aiosqlite:///./var/todo.db"),
        ("sqlite+aiosqlite:///./var/todo.db", pg),
        (pg, "not a url"),
    ):
        with pytest.raises(SettingsError) as refused:
            load_settings(
                None, app_env="test", database_url=database_url, database_listen_url=listen_url
            )
        assert any(p.startswith("DATABASE_LISTEN_URL") for p in refused.value.problems)
