"""The SMTP adapter against a real server (aiosmtpd): STARTTLS with a certificate of the
operator's own CA (SMTP_CA_FILE), AUTH only over TLS, and no message sent in clear or to a
server whose certificate is not trusted."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.support.smtp import smtp_server
from todo_api.adapters.mail.smtp import SmtpMailer, SmtpServer
from todo_api.application.mail import MailNotSent, Message

MESSAGE = Message(to="ann@example.com", subject="hello", text="plain body", html="<p>html</p>")
SENDER = "todo-api <no-reply@todo.example>"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def tls_server(server_tls: ssl.SSLContext) -> Iterator[tuple[object, int]]:
    with smtp_server(tls=server_tls, credentials=("mailer", "s3cret pass")) as served:
        yield served


async def test_starttls_then_auth_delivers_both_parts(
    tls_server: tuple[object, int], ca_file: str
) -> None:
    inbox, port = tls_server
    server = SmtpServer.parse(f"smtp://mailer:s3cret%20pass@127.0.0.1:{port}")
    await SmtpMailer(server, SENDER, ca_file=ca_file).send(MESSAGE)
    (received,) = inbox.messages  # type: ignore[attr-defined]
    assert inbox.logins == ["mailer"]  # type: ignore[attr-defined]
    assert (received["From"], received["To"], received["Subject"]) == (
        SENDER,
        "ann@example.com",
        "hello",
    )
    assert received.get_body(("plain",)).get_content().strip() == "plain body"
    assert received.get_body(("html",)).get_content().strip() == "<p>html</p>"


async def test_a_certificate_from_an_unknown_ca_is_refused(tls_server: tuple[object, int]) -> None:
    inbox, port = tls_server
    server = SmtpServer.parse(f"smtp://mailer:s3cret%20pass@127.0.0.1:{port}")
    with pytest.raises(MailNotSent, match="CERTIFICATE_VERIFY_FAILED"):
        await SmtpMailer(server, SENDER).send(MESSAGE)
    assert inbox.messages == []  # type: ignore[attr-defined]


async def test_a_server_without_starttls_gets_nothing_unless_clear_text_is_asked_for() -> None:
    with smtp_server() as (inbox, port):
        with pytest.raises(MailNotSent, match="STARTTLS"):
            await SmtpMailer(SmtpServer.parse(f"smtp://127.0.0.1:{port}"), SENDER).send(MESSAGE)
        assert inbox.messages == []
        clear = SmtpServer.parse(f"smtp://127.0.0.1:{port}?tls=off")
        await SmtpMailer(clear, SENDER).send(MESSAGE)
        assert len(inbox.messages) == 1


async def test_wrong_credentials_are_a_failed_delivery(
    tls_server: tuple[object, int], ca_file: str
) -> None:
    _, port = tls_server
    server = SmtpServer.parse(f"smtp://mailer:guess@127.0.0.1:{port}")
    with pytest.raises(MailNotSent, match="SMTPAuthenticationError"):
        await SmtpMailer(server, SENDER, ca_file=ca_file, timeout=5).send(MESSAGE)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://host", "expected smtp://"),
        ("smtp://host?tls=maybe", "tls= is on"),
        ("smtps://host?tls=off", "smtps:// is TLS itself"),
    ],
)
def test_smtp_urls_are_checked(url: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        SmtpServer.parse(url)


def test_the_password_never_shows_in_a_repr() -> None:
    server = SmtpServer.parse("smtp://mailer:s3cret@127.0.0.1:587")
    assert "s3cret" not in repr(server)
    assert (server.port, server.start_tls, server.implicit_tls) == (587, True, False)
