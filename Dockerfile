# syntax=docker/dockerfile:1
# Build: docker build -t todo-api .
# Migrate: docker run --rm -e DATABASE_URL=... todo-api db upgrade
# Serve:   docker run -p 8000:8000 -e APP_ENV=production -e DATABASE_URL=... -e JWT_SECRET_KEY=... todo-api

FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY README.md ./
COPY src ./src
# Installed as the wheel (not editable): the package carries its migrations.
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 todo \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app todo
WORKDIR /app
COPY --from=build --chown=10001:10001 /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH APP_ENV=production PYTHONUNBUFFERED=1
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
ENTRYPOINT ["todo-api"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
