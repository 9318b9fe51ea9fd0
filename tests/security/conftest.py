"""The HTTP fixtures of tests/integration/http: the real app on a real Postgres."""

from tests.integration.http.conftest import (  # noqa: F401 - fixtures, found by name
    client,
    container,
    make_settings,
    settings,
    ticker,
)
