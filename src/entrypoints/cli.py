"""The `todo-api` command: serve, migrate, print the OpenAPI document."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from todo_api.entrypoints.logging import configure_logging
from todo_api.entrypoints.settings import (
    DatabaseSettings,
    Settings,
    SettingsError,
    load_database_settings,
    load_settings,
)

Command = Callable[[argparse.Namespace], int | None]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command: Command = args.run
    try:
        return int(command(args) or 0)
    except SettingsError as error:
        print("todo-api: refusing to start, the configuration has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not _can_listen(args.host, args.port):
        print(
            f"todo-api: {args.host}:{args.port} is already in use (another todo-api serve?);"
            " stop it, or choose another port with --port (make serve PORT=8001)",
            file=sys.stderr,
        )
        return 1
    # The supervising process logs too (uvicorn's "running on", worker restarts), in the same
    # format as the workers; with several workers nothing else would configure it.
    configure_logging(settings.log_level, settings.effective_log_format)
    metrics_dir = None
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers are separate processes; they share metrics through files in this folder,
        # which lives as long as this server does.
        metrics_dir = tempfile.mkdtemp(prefix="todo-api-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        _run_uvicorn(settings, args)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _worker(args: argparse.Namespace) -> int:
    from todo_api.entrypoints.worker import run_worker

    settings = load_settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    return run_worker(settings, args.port, args.host)


def _mcp(_: argparse.Namespace) -> int:
    from todo_api.entrypoints.mcp.stdio import run_stdio

    settings = load_settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    return run_stdio(settings, _version())


def _can_listen(host: str, port: int) -> bool:
    # uvicorn would end in a raw "[Errno 98]" line; asking first lets the message say what to do.
    try:
        with socket.create_server((host, port), reuse_port=False):
            return True
    except OSError:
        return False


def _run_uvicorn(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from todo_api.entrypoints.http_server import HttpLimits, export_limits

    trusted = ",".join(settings.forwarded_allow_ips)
    export_limits(HttpLimits(header_timeout=settings.header_timeout))
    uvicorn.run(
        "todo_api.entrypoints.http.app:create_app",
        factory=True,
        # httptools with header size, field count and header-time limits (ADR 0012).
        http="todo_api.entrypoints.http_server:GuardedHttpToolsProtocol",
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=settings.keep_alive_timeout,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise; trust only the
        # configured proxies, and none when there are none.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
        server_header=False,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=30,
    )


def _db(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError

    settings = load_database_settings()
    try:
        return _run_db_action(settings, args)
    except (DBAPIError, NoSuchModuleError, OSError) as error:
        print(f"todo-api: {_describe_database_error(settings, error)}", file=sys.stderr)
        return 1


def _run_db_action(settings: DatabaseSettings, args: argparse.Namespace) -> int:
    from todo_api.entrypoints import migrations as m

    url, schema = settings.database_url, settings.db_schema
    where = _where(settings)
    if args.action == "upgrade":
        target = args.revision or "head"
        m.upgrade(url, target, schema=schema)
        print(f"{where} is at {m.current(url, schema=schema)} (upgraded to {target}).")
    elif args.action == "downgrade":
        if not args.revision:
            print("todo-api: db downgrade needs a revision (-1, base, ...)", file=sys.stderr)
            return 2
        m.downgrade(url, args.revision, schema=schema)
        print(f"{where} is at {m.current(url, schema=schema) or 'base'}.")
    else:
        at = m.current(url, schema=schema)
        head = m.head_revision()
        if at is None:
            print(f"{where} has no todo-api schema yet; run `todo-api db upgrade`.")
        elif at == head:
            print(f"{where} is at {at} (newest).")
        else:
            print(f"{where} is at {at}; the newest is {head}: run `todo-api db upgrade`.")
    return 0


def _where(settings: DatabaseSettings) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if settings.is_sqlite:
        return f"The SQLite database {url.database}"
    return f"The database {url.database} on {url.host or 'localhost'} (schema {settings.db_schema})"


def _describe_database_error(settings: DatabaseSettings, error: Exception) -> str:
    first_line = str(getattr(error, "orig", None) or error).strip().splitlines()[0:1]
    reason = first_line[0] if first_line else type(error).__name__
    if settings.is_sqlite:
        return f"cannot open the SQLite database ({reason}); check DATABASE_URL and its folder"
    return (
        f"cannot reach the database ({reason}); check DATABASE_URL, that Postgres is running"
        " and that it accepts this user"
    )


def _openapi(_args: argparse.Namespace) -> None:
    from todo_api.entrypoints.container import build_container
    from todo_api.entrypoints.http.app import create_app

    # The document does not depend on the secret: use a throwaway one and write nothing.
    settings = load_settings(None, jwt_secret_key=secrets.token_hex(32))
    app = create_app(build_container(settings))
    print(json.dumps(app.openapi_schema.to_schema(), indent=2, sort_keys=True))


def _version() -> str:
    try:
        return version("todo-api")
    except PackageNotFoundError:
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="todo-api", description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"todo-api {_version()}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="serve the HTTP API", formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (one per core is right)"
    )
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database migrations (needs only DATABASE_URL)")
    db.add_argument("action", choices=["upgrade", "downgrade", "current"])
    db.add_argument("revision", nargs="?", help="target revision (upgrade: default head)")
    db.set_defaults(run=_db)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(run=_openapi)

    worker = commands.add_parser(
        "worker", help="deliver account mail and webhooks until SIGTERM (several may run)"
    )
    worker.add_argument(
        "--port", type=int, default=None, help="serve GET /health and GET /metrics on this port"
    )
    worker.add_argument("--host", default="127.0.0.1", help="address of --port")
    worker.set_defaults(run=_worker)

    mcp = commands.add_parser(
        "mcp", help="serve the MCP tools on stdio with the API token in TODO_API_TOKEN"
    )
    mcp.set_defaults(run=_mcp)
    return parser


__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
