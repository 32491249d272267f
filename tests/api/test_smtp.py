"""The forwarding address (issue 17, item 1): `stayform serve` with an SMTP port receives an
agent's forward over real SMTP (smtplib to a running uvicorn + aiosmtpd on loopback) and stores
it as that agent's item; strangers, oversize messages and repeats are handled at the protocol.
Also `stayform keys create --email` and `keys list`, which register and show the senders."""

from __future__ import annotations

import json
import smtplib
import socket
import urllib.request
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from api import store
from api.app import create_app
from api.models import Item
from stayform import cli
from stayform.settings import Settings, get_settings
from tests.api.conftest import SURE
from tests.api.live import serve_in_thread

if TYPE_CHECKING:
    from extractor.pipeline import Extractor


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _message(sender: str, message_id: str, body: str = SURE) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Anna Agent <{sender}>"
    msg["To"] = "inbox@stayform.example"
    msg["Subject"] = "Fwd: hotel request"
    msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 04 May 2026 09:00:00 +0000"
    msg.set_content(body)
    return msg.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire


class Service:
    def __init__(self, app: Any, base: str, smtp_port: int, tokens: dict[str, str]) -> None:
        self.app, self.base, self.smtp_port, self.tokens = app, base, smtp_port, tokens

    def listed(self, who: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(f"{self.base}/v1/emails?limit=50",
                                         headers={"X-API-Key": self.tokens[who]})
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(json.load(response)["items"])

    def items(self) -> list[Item]:
        with self.app.state.sessions() as session:
            return list(session.query(Item).all())


@pytest.fixture
def service(settings: Settings, extractor: Extractor) -> Iterator[Service]:
    port = _free_port()
    app = create_app(settings.model_copy(update={"smtp_port": port}), extractor=extractor)
    with serve_in_thread(app) as base:
        tokens = {}
        with app.state.sessions() as session:
            tokens["anna"] = store.create_key(session, name="anna", role="agent",
                                              addresses=["Anna@Agency.example",
                                                         "anna@home.example"])[1]
            tokens["bob"] = store.create_key(session, name="bob", role="agent",
                                             addresses=["bob@agency.example"])[1]
            tokens["rita"] = store.create_key(session, name="rita", role="reviewer")[1]
        yield Service(app, base, port, tokens)


def test_a_registered_agents_forward_becomes_that_agents_item(service: Service) -> None:
    with smtplib.SMTP("127.0.0.1", service.smtp_port, timeout=30) as smtp:
        # the envelope sender in another case than registered still counts as Anna's
        refused = smtp.sendmail("ANNA@agency.EXAMPLE", ["inbox@stayform.example"],
                                _message("anna@agency.example", "<fwd-1@agency.example>"))
    assert refused == {}
    mine = service.listed("anna")
    assert [item["result"]["id"] for item in mine] == ["fwd-1@agency.example"]
    assert mine[0]["result"]["stays"][0]["destination"]["value"] == "Munich"
    assert service.listed("bob") == [], "another agent does not see Anna's forward"
    assert len(service.listed("rita")) == 1, "reviewers see every item"
    (item,) = service.items()
    assert item.raw is not None and b"fwd-1@agency.example" in item.raw, "the raw message kept"


def test_a_stranger_is_refused_before_any_content_is_read(service: Service) -> None:
    with smtplib.SMTP("127.0.0.1", service.smtp_port, timeout=30) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail("mallory@elsewhere.example", ["inbox@stayform.example"],
                          _message("mallory@elsewhere.example", "<evil@elsewhere.example>"))
        smtp.rset()
        # a reviewer's key has no sender addresses, and the null sender is nobody's
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("", ["inbox@stayform.example"],
                          _message("postmaster@x.example", "<bounce@x.example>"))
    (code, _), = refused.value.recipients.values()
    assert code == 550
    assert service.items() == []


def test_a_revoked_agent_can_no_longer_forward(service: Service) -> None:
    with service.app.state.sessions() as session:
        (bob,) = store.live_keys_named(session, name="bob")
        store.revoke_key(session, key_id=bob.id)
    with smtplib.SMTP("127.0.0.1", service.smtp_port, timeout=30) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("bob@agency.example", ["inbox@stayform.example"],
                          _message("bob@agency.example", "<late@agency.example>"))
    assert service.items() == []


def test_an_oversize_message_gets_552(service: Service, settings: Settings) -> None:
    big = _message("anna@agency.example", "<big@agency.example>",
                   body=SURE + "\n" + "x" * 70 + ("\n" + "y" * 70) * (settings.max_email_bytes
                                                                     // 70))
    assert len(big) > settings.max_email_bytes
    with smtplib.SMTP("127.0.0.1", service.smtp_port, timeout=30) as smtp:
        smtp.ehlo()
        # without a SIZE= hint the server counts the bytes itself and refuses at DATA
        assert smtp.mail("anna@agency.example")[0] == 250
        assert smtp.rcpt("inbox@stayform.example")[0] == 250
        code, _ = smtp.data(big)
        assert code == 552
        smtp.rset()
        # smtplib's sendmail announces the size, refused before the data is sent
        with pytest.raises(smtplib.SMTPSenderRefused) as early:
            smtp.sendmail("anna@agency.example", ["inbox@stayform.example"], big)
        assert early.value.smtp_code == 552
    assert service.items() == []


def test_the_same_message_forwarded_twice_is_one_item(service: Service) -> None:
    message = _message("anna@agency.example", "<twice@agency.example>")
    replies = []
    for _ in range(2):
        with smtplib.SMTP("127.0.0.1", service.smtp_port, timeout=30) as smtp:
            smtp.ehlo()
            smtp.mail("anna@home.example")
            smtp.rcpt("inbox@stayform.example")
            replies.append(smtp.data(message))
    assert [code for code, _ in replies] == [250, 250]
    assert replies[0][1] == replies[1][1], "the second reply names the stored item"
    assert len(service.items()) == 1
    assert len(service.listed("anna")) == 1


def test_keys_create_registers_sender_addresses_and_list_shows_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STAYFORM_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("STAYFORM_ADMIN_KEY", raising=False)
    get_settings.cache_clear()
    try:
        assert cli.main(["keys", "create", "--role", "agent", "--name", "anna",
                         "--email", "Anna@Agency.example", "--email", "anna@home.example"]) == 0
        assert cli.main(["keys", "create", "--role", "agent", "--name", "thief",
                         "--email", "anna@agency.example"]) == 1, "one address, one agent"
        assert cli.main(["keys", "create", "--role", "reviewer", "--name", "rita",
                         "--email", "rita@agency.example"]) == 1, "only agents forward"
        assert cli.main(["keys", "create", "--role", "agent", "--name", "x",
                         "--email", "not an address"]) == 1
        assert cli.main(["keys", "rotate", "anna"]) == 0
        capsys.readouterr()
        assert cli.main(["keys", "list"]) == 0
        rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    finally:
        get_settings.cache_clear()
    by_state = {(row[3], row[2]): row[6] for row in rows}
    assert by_state == {("anna", "revoked"): "-",
                        ("anna", "live"): "anna@agency.example,anna@home.example"}, \
        "the rotated key keeps the addresses; refused keys were not created"


# --- SMTP AUTH and STARTTLS ------------------------------------------------------------------

def _auth_service(settings: Settings, extractor: Extractor, tmp_path: Path, *, auth: str,
                  tls: bool) -> Any:
    from tests.api.dovecot import self_signed

    port = _free_port()
    update: dict[str, Any] = {"smtp_port": port, "smtp_auth": auth}
    if tls:
        cert, key = self_signed(tmp_path)
        update |= {"smtp_tls_cert": cert, "smtp_tls_key": key}
    return create_app(settings.model_copy(update=update), extractor=extractor), port


@pytest.fixture
def tls_service(settings: Settings, extractor: Extractor, tmp_path: Path) -> Iterator[Service]:
    """AUTH optional, STARTTLS with a self-signed certificate."""
    app, port = _auth_service(settings, extractor, tmp_path, auth="optional", tls=True)
    with serve_in_thread(app) as base, app.state.sessions() as session:
        tokens = {"anna": store.create_key(session, name="anna", role="agent",
                                           addresses=["anna@agency.example"])[1],
                  "bob": store.create_key(session, name="bob", role="agent")[1],
                  "rita": store.create_key(session, name="rita", role="reviewer")[1]}
        yield Service(app, base, port, tokens)


def _tls() -> Any:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate
    return context


def test_an_agent_logged_in_after_starttls_forwards_from_any_address(
        tls_service: Service) -> None:
    with smtplib.SMTP("127.0.0.1", tls_service.smtp_port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls") and not smtp.has_extn("auth"), \
            "with a certificate the key is never asked for in clear"
        smtp.starttls(context=_tls())
        smtp.ehlo()
        assert smtp.login("bob", tls_service.tokens["bob"])[0] == 235
        # Bob registered no address: the login, not the envelope sender, makes it his
        assert smtp.sendmail("bob.mobile@elsewhere.example", ["inbox@stayform.example"],
                             _message("bob.mobile@elsewhere.example", "<auth-1@x.example>")) == {}
    assert [i["result"]["id"] for i in tls_service.listed("bob")] == ["auth-1@x.example"]
    assert tls_service.listed("anna") == []
    # a registered address works as the login name too
    with smtplib.SMTP("127.0.0.1", tls_service.smtp_port, timeout=30) as smtp:
        smtp.starttls(context=_tls())
        assert smtp.login("Anna@agency.example", tls_service.tokens["anna"])[0] == 235


def test_a_wrong_or_foreign_key_is_refused_with_535(tls_service: Service) -> None:
    attempts = [("anna", "sfk_not-a-key"), ("anna", tls_service.tokens["bob"]),
                ("rita", tls_service.tokens["rita"]), ("nobody@agency.example",
                                                       tls_service.tokens["anna"])]
    for login, password in attempts:
        with smtplib.SMTP("127.0.0.1", tls_service.smtp_port, timeout=30) as smtp:
            smtp.starttls(context=_tls())
            with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
                smtp.login(login, password)
            assert refused.value.smtp_code == 535, login
    # optional: without a login the registered envelope sender still works
    with smtplib.SMTP("127.0.0.1", tls_service.smtp_port, timeout=30) as smtp:
        smtp.starttls(context=_tls())
        smtp.sendmail("anna@agency.example", ["inbox@stayform.example"],
                      _message("anna@agency.example", "<plain-sender@agency.example>"))
    assert len(tls_service.listed("anna")) == 1 and len(tls_service.items()) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_required_auth_refuses_mail_before_login_and_after_its_key_is_revoked(
        settings: Settings, extractor: Extractor, tmp_path: Path) -> None:
    app, port = _auth_service(settings, extractor, tmp_path, auth="required", tls=False)
    with serve_in_thread(app), app.state.sessions() as session:
        key, token = store.create_key(session, name="anna", role="agent",
                                      addresses=["anna@agency.example"])
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                smtp.sendmail("anna@agency.example", ["inbox@stayform.example"],
                              _message("anna@agency.example", "<no-login@agency.example>"))
            assert refused.value.smtp_code == 530
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            # no certificate configured: AUTH runs in clear (loopback only)
            assert smtp.login("anna", token)[0] == 235
            store.revoke_key(session, key_id=key.id)
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.sendmail("anna@agency.example", ["inbox@stayform.example"],
                              _message("anna@agency.example", "<revoked@agency.example>"))
        with app.state.sessions() as check:
            assert check.query(Item).count() == 0


def test_a_certificate_without_its_key_or_an_unreadable_one_stops_the_start(
        tmp_path: Path) -> None:
    from api import smtp
    from tests.api.dovecot import self_signed

    cert, key = self_signed(tmp_path)
    assert smtp.tls_context(Settings(smtp_tls_cert=cert, smtp_tls_key=key)) is not None
    assert smtp.tls_context(Settings()) is None, "no certificate: no STARTTLS"
    for half in ({"smtp_tls_cert": cert}, {"smtp_tls_key": key},
                 {"smtp_tls_cert": key, "smtp_tls_key": cert},
                 {"smtp_tls_cert": tmp_path / "missing.pem", "smtp_tls_key": key}):
        with pytest.raises(smtp.SmtpConfigError, match="C003"):
            smtp.tls_context(Settings(**half))
