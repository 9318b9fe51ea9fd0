"""The `todo-api` command: serve, migrate, print the OpenAPI document."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

from entrypoints.settings import Settings, SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print("todo-api: refusing to start, the configuration has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    return int(args.run(settings, args) or 0)


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers are separate processes; they share metrics through files in this folder.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="todo-api-metrics-")

    trusted = ",".join(settings.forwarded_allow_ips)
    uvicorn.run(
        "entrypoints.http.app:create_app",
        factory=True,
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


def _db(settings: Settings, args: argparse.Namespace) -> None:
    from entrypoints import migrations

    if args.action == "upgrade":
        migrations.upgrade(settings.database_url, args.revision or "head")
    elif args.action == "downgrade":
        if not args.revision:
            raise SystemExit("todo-api db downgrade needs a revision (for example -1 or base)")
        migrations.downgrade(settings.database_url, args.revision)
    else:
        migrations.current(settings.database_url)


def _openapi(settings: Settings, _args: argparse.Namespace) -> None:
    from entrypoints.container import build_container
    from entrypoints.http.app import create_app

    app = create_app(build_container(settings))
    print(json.dumps(app.openapi_schema.to_schema(), indent=2, sort_keys=True))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="todo-api", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade", "current"])
    db.add_argument("revision", nargs="?", help="target revision (upgrade: default head)")
    db.set_defaults(run=_db)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(run=_openapi)
    return parser


if __name__ == "__main__":
    sys.exit(main())
