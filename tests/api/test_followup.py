"""`GET /v1/emails/{id}/followup`: a drafted reply in the email's language that asks for
exactly the fields the booking lacks; only for those who may see the email."""

from __future__ import annotations

from email.message import EmailMessage

from fastapi.testclient import TestClient

from tests.api.conftest import REQUEST, SURE, Keys

GERMAN = ("Guten Tag, bitte buchen Sie uns ein Hotel in Munich ab dem 2026-05-03 für zwei "
          "Personen. Wir freuen uns auf Ihre Antwort.\nViele Grüße, Anna")


def _ingest(client: TestClient, keys: Keys, text: str, *, subject: str | None = None,
            who: str = "agent") -> dict:
    if subject is None:
        r = client.post("/v1/emails", json={"text": text}, headers=keys.h(who))
    else:
        msg = EmailMessage()
        msg["From"] = "Kunde <kunde@example.org>"
        msg["To"] = "agency@example.org"
        msg["Subject"] = subject
        msg["Message-ID"] = f"<{abs(hash(text))}@example.org>"
        msg["Date"] = "Mon, 20 Apr 2026 09:12:00 +0200"
        msg.set_content(text)
        r = client.post("/v1/emails", headers=keys.h(who),
                        files={"email": ("m.eml", msg.as_bytes(), "message/rfc822")})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_an_english_request_is_asked_for_rooms_and_names_only(client: TestClient, keys: Keys
                                                             ) -> None:
    item = _ingest(client, keys, REQUEST)
    assert {"missing:rooms", "missing:traveler_names"} <= set(item["result"]["review_reasons"])
    r = client.get(f"/v1/emails/{item['id']}/followup", headers=keys.h("agent"))
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["language"] == "en" and draft["missing"] == ["rooms", "traveler_names"]
    assert draft["subject"] == "Re: Your hotel request"  # a pasted text has no subject
    assert "could you tell us the number of rooms and the guests' full names?" in draft["body"]
    for other in ("date", "city", "number of guests"):
        assert other not in draft["body"]


def test_a_missing_departure_is_asked_for_and_the_subject_is_replied_to(
        client: TestClient, keys: Keys) -> None:
    item = _ingest(client, keys, "Please book a hotel in Berlin from 2026-05-03 for 2 guests."
                   "\nBest, Anna", subject="Hotel in Berlin")
    assert [r for r in item["result"]["review_reasons"] if r.startswith("missing:")] == \
        ["missing:check_out", "missing:rooms", "missing:traveler_names"]
    draft = client.get(f"/v1/emails/{item['id']}/followup", headers=keys.h("agent")).json()
    assert draft == {
        "language": "en", "subject": "Re: Hotel in Berlin",
        "missing": ["check_out", "rooms", "traveler_names"],
        "body": "Hello,\n\nThank you for your hotel request. To book it, could you tell us the "
                "check-out date, the number of rooms and the guests' full names?\n\nKind regards"}


def test_a_german_email_gets_a_german_question(client: TestClient, keys: Keys) -> None:
    item = _ingest(client, keys, GERMAN, subject="Hotelanfrage München")
    assert item["result"]["language"] == "de"
    assert [r for r in item["result"]["review_reasons"] if r.startswith("missing:")] == \
        ["missing:check_out", "missing:rooms", "missing:traveler_names"]
    draft = client.get(f"/v1/emails/{item['id']}/followup", headers=keys.h("reviewer")).json()
    assert draft == {
        "language": "de", "subject": "AW: Hotelanfrage München",
        "missing": ["check_out", "rooms", "traveler_names"],
        "body": "Guten Tag,\n\nvielen Dank für Ihre Hotelanfrage. Könnten Sie uns für die "
                "Buchung noch das Abreisedatum, die Anzahl der Zimmer und die vollständigen "
                "Namen der Gäste nennen?\n\nMit freundlichen Grüßen"}
    # a subject that already is a reply is not prefixed again
    again = _ingest(client, keys, GERMAN + " ", subject="AW: Hotelanfrage")
    assert client.get(f"/v1/emails/{again['id']}/followup",
                      headers=keys.h("agent")).json()["subject"] == "AW: Hotelanfrage"


def test_nothing_missing_is_a_409(client: TestClient, keys: Keys) -> None:
    item = _ingest(client, keys, SURE)
    assert not any(r.startswith("missing:") for r in item["result"]["review_reasons"])
    r = client.get(f"/v1/emails/{item['id']}/followup", headers=keys.h("agent"))
    assert r.status_code == 409 and "nothing is missing" in r.text


def test_fields_a_reviewer_filled_in_are_no_longer_asked_for(client: TestClient, keys: Keys
                                                           ) -> None:
    item = _ingest(client, keys, REQUEST)
    v = client.post("/v1/review/claim", headers=keys.h("reviewer")).json()["version"]
    stay: dict[str, object] = {"destination": "Munich", "check_in": "2026-05-03",
                               "check_out": "2026-05-05", "guests": 1, "rooms": 1}
    answer = {"intent": "new_booking", "stays": [stay]}
    r = client.put(f"/v1/review/{item['id']}", json=answer,
                   headers={**keys.h("reviewer"), "If-Match": str(v)})
    assert r.status_code == 200, r.text
    draft = client.get(f"/v1/emails/{item['id']}/followup", headers=keys.h("agent")).json()
    # rooms are given now; one guest, so one name is asked for
    assert draft["missing"] == ["traveler_names"]
    assert "could you tell us the guest's full name?" in draft["body"]
    stay["traveler_names"] = ["Anna Schmidt"]
    v = client.get(f"/v1/emails/{item['id']}", headers=keys.h("reviewer")).json()["version"]
    client.post("/v1/review/claim", headers=keys.h("reviewer"))
    r = client.put(f"/v1/review/{item['id']}", json=answer,
                   headers={**keys.h("reviewer"), "If-Match": str(v)})
    assert r.status_code == 200, r.text
    assert client.get(f"/v1/emails/{item['id']}/followup",
                      headers=keys.h("agent")).status_code == 409


def test_another_agent_cannot_read_the_followup(client: TestClient, keys: Keys) -> None:
    item = _ingest(client, keys, REQUEST)
    url = f"/v1/emails/{item['id']}/followup"
    assert client.get(url, headers=keys.h("agent2")).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get("/v1/emails/" + "0" * 32 + "/followup",
                      headers=keys.h("reviewer")).status_code == 404
    for who in ("agent", "reviewer", "admin"):
        assert client.get(url, headers=keys.h(who)).status_code == 200
