"""Configuration from the environment and `.env`, validated all at once at start-up."""

from __future__ import annotations

import logging
import os
import re
import secrets
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from dotenv.parser import parse_stream
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from todo_api.adapters.mail.smtp import SmtpServer
from todo_api.adapters.persistence.versioning import DEFAULT_SCHEMA, SCHEMA_NAME
from todo_api.application.rates import Rate

__all__ = [
    "DEFAULT_CORS_ORIGINS",
    "CommaList",
    "DatabaseSettings",
    "RateSetting",
    "Settings",
    "SettingsError",
    "load_database_settings",
    "load_settings",
]

DEFAULT_CORS_ORIGINS = [
    "http://localhost:3000",
    "http://localhost:5173",
    "http://localhost:8080",
    "http://localhost:8000",
    "http://127.0.0.1:3000",
    "http://127.0.0.1:5173",
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8000",
]
# Platforms hand out postgres:// and postgresql:// URLs; they mean the one driver we ship.
_DRIVER_ALIASES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "sqlite": "sqlite+aiosqlite",
}
_DRIVERS = {"postgresql+psycopg", "sqlite+aiosqlite"}
_HEX_SECRET = re.compile(r"[0-9a-fA-F]{64,}")
# Read as plain strings and parsed by the validators below, not as JSON.
CommaList = Annotated[list[str], NoDecode]
RateSetting = Annotated[Rate, NoDecode]


class SettingsError(Exception):
    """The configuration is unusable; `problems` holds one message per setting at fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))


class DatabaseSettings(BaseSettings):
    """What the database commands need, and nothing more: no secret, no file written."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
        # `KEY=` (as in .env.example) means "not set", not an empty value.
        env_ignore_empty=True,
    )

    database_url: str = "sqlite+aiosqlite:///./var/todo.db"
    db_schema: str = DEFAULT_SCHEMA

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        return _database_url(value)

    @field_validator("db_schema")
    @classmethod
    def _plain_schema(cls, value: str) -> str:
        if not SCHEMA_NAME.match(value):
            raise ValueError("must be a plain lower-case identifier (letters, digits, _)")
        return value

    @field_validator("db_schema", mode="after")
    @classmethod
    def _schema_needs_postgres(cls, value: str, info: ValidationInfo) -> str:
        # A field validator reading the fields before it, not a model validator: model
        # validators do not run when any field failed, so their problems would go unreported.
        if value != DEFAULT_SCHEMA and str(info.data.get("database_url", "")).startswith("sqlite"):
            raise ValueError("schemas need Postgres; SQLite has one namespace")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _database_url(value: str) -> str:
    """The URL with its driver spelled as the engine needs it; ValueError if it names none."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError(
            "not a database URL; expected postgresql+psycopg://user:pass@host/db"
            " or sqlite+aiosqlite:///path/to/file.db"
        ) from None
    driver = _DRIVER_ALIASES.get(url.drivername, url.drivername)
    if driver not in _DRIVERS:
        raise ValueError(
            f"unknown driver {url.drivername!r}; use postgresql+psycopg:// or sqlite+aiosqlite://"
        )
    return url.set(drivername=driver).render_as_string(hide_password=False)


class Settings(DatabaseSettings):
    app_env: Literal["development", "test", "production"] = "development"
    # LISTEN needs a session of its own on the server: behind a pooler in transaction mode
    # (PgBouncer) notices go astray, so the listening connections may go straight to Postgres.
    database_listen_url: str | None = None
    db_pool_min: int = Field(2, ge=1)
    db_pool_max: int = Field(5, ge=1)
    db_pool_recycle: int = Field(3600, ge=1)
    db_connection_timeout: int = Field(30, ge=1)
    db_pool_timeout: float = Field(5.0, gt=0)
    db_statement_timeout: float = Field(5.0, gt=0)
    request_timeout: float = Field(10.0, gt=0)
    max_connections: int = Field(1000, ge=1)
    header_timeout: float = Field(10.0, gt=0)
    keep_alive_timeout: int = Field(5, ge=1)
    jwt_secret_key: SecretStr | None = None
    access_token_ttl: int = Field(900, ge=1)
    refresh_token_ttl: int = Field(604800, ge=1)
    bcrypt_rounds: int = Field(12, ge=4, le=16)
    bcrypt_max_pending: int = Field(32, ge=1)
    cookie_secure: bool = True
    cors_origins: CommaList = Field(default_factory=lambda: list(DEFAULT_CORS_ORIGINS))
    rate_limit_enabled: bool = True
    rate_limit_login: RateSetting = Rate(5, 60)
    rate_limit_register: RateSetting = Rate(5, 60)
    rate_limit_refresh: RateSetting = Rate(10, 60)
    rate_limit_login_failures: RateSetting = Rate(20, 3600)
    rate_limit_account_email: RateSetting = Rate(10, 60)
    rate_limit_api_token: RateSetting = Rate(600, 60)
    redis_url: str | None = None
    forwarded_allow_ips: CommaList = Field(default_factory=list)
    max_body_size: int = Field(1024 * 1024, ge=1024)
    metrics_token: SecretStr | None = None
    sync_tombstone_days: int = Field(30, ge=1, le=3650)
    event_retention_days: int = Field(7, ge=1, le=3650)
    smtp_url: SecretStr | None = None
    smtp_ca_file: Path | None = None
    mail_from: str = "todo-api <no-reply@localhost>"
    public_url: str = "http://localhost:8000"
    require_verified_email: bool = False
    worker_poll_seconds: float = Field(2.0, gt=0, le=3600)
    in_process_worker: bool = True
    credential_cache: bool = True
    webhook_allow_private: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["console", "json"] | None = None

    @field_validator("database_listen_url", mode="after")
    @classmethod
    def _listen_on_postgres(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        url = _database_url(value)
        if not url.startswith("postgresql") or str(info.data.get("database_url", "")).startswith(
            "sqlite"
        ):
            raise ValueError(
                "notices come from Postgres: a postgresql:// URL, with DATABASE_URL one"
            )
        return url

    @property
    def listen_url(self) -> str:
        """Where the notification listeners connect: DATABASE_LISTEN_URL, else DATABASE_URL."""
        return self.database_listen_url or self.database_url

    @field_validator("cors_origins", "forwarded_allow_ips", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator(
        "rate_limit_login",
        "rate_limit_register",
        "rate_limit_refresh",
        "rate_limit_login_failures",
        "rate_limit_account_email",
        "rate_limit_api_token",
        mode="before",
    )
    @classmethod
    def _parse_rate(cls, value: object) -> object:
        return Rate.parse(value) if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("metrics_token")
    @classmethod
    def _check_metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must have at least 16 characters")
        return value

    # Rules across settings are field validators reading the fields declared before them, so
    # that every problem is reported at once (a model validator is skipped when a field fails).

    @field_validator("db_pool_max")
    @classmethod
    def _max_not_below_min(cls, value: int, info: ValidationInfo) -> int:
        if value < info.data.get("db_pool_min", 0):
            raise ValueError("must not be below DB_POOL_MIN")
        return value

    @field_validator("jwt_secret_key")
    @classmethod
    def _check_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        production = info.data.get("app_env") == "production"
        if value is None:
            if production:
                raise ValueError("required in production")
            return value
        if not _HEX_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be at least 64 hexadecimal characters (256 bits)")
        if production and _low_entropy(value.get_secret_value()):
            raise ValueError(
                "too predictable (few distinct characters); generate one with"
                ' python3 -c "import secrets; print(secrets.token_hex(32))"'
            )
        return value

    @field_validator("cookie_secure")
    @classmethod
    def _secure_in_production(cls, value: bool, info: ValidationInfo) -> bool:
        if not value and info.data.get("app_env") == "production":
            raise ValueError("must be true in production (HTTPS only)")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _listed_in_production(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("app_env") == "production":
            refused = [origin for origin in ("*", "null") if origin in value]
            if refused:
                names = " and ".join(repr(origin) for origin in refused)
                raise ValueError(f"{names} refused in production; list the origins")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            SmtpServer.parse(value.get_secret_value())
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _readable_ca_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL, such as https://todo.example.com")
        return value.rstrip("/")

    @field_validator("require_verified_email")
    @classmethod
    def _verification_needs_mail(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("smtp_url") is None and info.data.get("app_env") == "production":
            raise ValueError("needs SMTP_URL in production: no one could verify an address")
        return value

    @field_validator("webhook_allow_private")
    @classmethod
    def _no_private_webhooks_in_production(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("app_env") == "production":
            raise ValueError("refused in production: webhooks go to public addresses only")
        return value

    @property
    def jwt_secret(self) -> str:
        if self.jwt_secret_key is None:
            raise SettingsError(["JWT_SECRET_KEY: not set"])
        return self.jwt_secret_key.get_secret_value()

    @property
    def effective_log_format(self) -> Literal["console", "json"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.app_env == "production" else "console"


def _low_entropy(secret: str) -> bool:
    # 64 random hex characters show about 15.7 of the 16 digits; fewer than 10 distinct
    # characters (64 zeros, "abab...") is a hand-made key, guessable offline from one token.
    return len(set(secret.lower())) < 10


# Compose and Kubernetes secrets: a file per setting, named after it (`jwt_secret_key`).
SECRETS_DIR = Path("/run/secrets")


def _secrets_dir(path: Path | None) -> Path | None:
    return path if path is not None and path.is_dir() else None


def load_database_settings(
    env_file: Path | None = Path(".env"), secrets_dir: Path | None = SECRETS_DIR, **overrides: Any
) -> DatabaseSettings:
    """Read only DATABASE_URL and DB_SCHEMA; raise SettingsError listing every problem."""
    file_problems = env_file_problems(env_file)
    try:
        settings = DatabaseSettings(
            _env_file=env_file, _secrets_dir=_secrets_dir(secrets_dir), **overrides
        )
    except SettingsError as error:
        raise SettingsError([*file_problems, *error.problems]) from None
    except ValidationError as error:
        raise SettingsError([*file_problems, *map(_describe, error.errors())]) from None
    if file_problems:
        raise SettingsError(file_problems)
    return settings


def load_settings(
    env_file: Path | None = Path(".env"), secrets_dir: Path | None = SECRETS_DIR, **overrides: Any
) -> Settings:
    """Read and validate every setting; raise SettingsError listing every problem at once.

    Sources, strongest first: `overrides`, the environment, `env_file`, and files in
    `secrets_dir` named after a setting (`/run/secrets/jwt_secret_key`).

    In development, a missing JWT secret is generated and kept in `.env` so tokens survive
    restarts; in test it is generated for the process only.
    """
    file_problems = env_file_problems(env_file)
    try:
        settings = Settings(_env_file=env_file, _secrets_dir=_secrets_dir(secrets_dir), **overrides)
    except SettingsError as error:
        raise SettingsError([*file_problems, *error.problems]) from None
    except ValidationError as error:
        raise SettingsError([*file_problems, *map(_describe, error.errors())]) from None
    if file_problems:
        raise SettingsError(file_problems)
    if settings.jwt_secret_key is None and settings.app_env != "production":
        secret = secrets.token_hex(32)
        if settings.app_env == "development" and env_file is not None:
            _remember_secret(env_file, secret)
        settings.jwt_secret_key = SecretStr(secret)
    return settings


def env_file_problems(env_file: Path | None) -> list[str]:
    """Lines of the .env file that would otherwise be dropped or ignored without a word.

    A line that is not `KEY=VALUE` is lost by the parser; a key close to a setting's name
    (`JWT_SECRET` for `JWT_SECRET_KEY`) is a typo that would leave the default in force. Other
    keys are left alone: the file may hold variables for other tools (docker compose).
    """
    if env_file is None or not env_file.is_file():
        return []
    known = [name.upper() for name in Settings.model_fields]
    problems = []
    # python-dotenv warns on its own about a line it cannot parse; the problem is reported here.
    logging.getLogger("dotenv.main").setLevel(logging.ERROR)
    with env_file.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            line = binding.original.line
            if binding.error:
                problems.append(f"{env_file.name} line {line}: not KEY=VALUE, so it was ignored")
            elif binding.key is not None and binding.key.upper() not in known:
                close = get_close_matches(binding.key.upper(), known, n=1, cutoff=0.8)
                if close:
                    problems.append(
                        f"{binding.key} ({env_file.name} line {line}): not a setting;"
                        f" did you mean {close[0]}?"
                    )
    return problems


def _describe(error: object) -> str:
    details = error if isinstance(error, dict) else {}
    location = ".".join(str(part) for part in details.get("loc", ())).upper() or "SETTINGS"
    message = str(details.get("msg", "invalid"))
    problems = details.get("ctx", {}).get("error")
    if isinstance(problems, SettingsError):
        return "; ".join(problems.problems)
    return f"{location}: {message.removeprefix('Value error, ')}"


def _remember_secret(env_file: Path, secret: str) -> None:
    existing = env_file.read_text() if env_file.exists() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    with env_file.open("a") as handle:
        handle.write(f"{separator}# Generated on first run for development only.\n")
        handle.write(f"JWT_SECRET_KEY={secret}\n")
    os.chmod(env_file, 0o600)
