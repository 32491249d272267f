"""Hardening row 16: property-based fuzzing of the extractor end to end (a tiny model).

Random Unicode text and random MIME trees go through the whole pipeline; whatever comes in,
the result keeps the contract (schema, evidence inside the text) or is an `error` record, and
nothing raises. The budget is fixed (max_examples) so CI time stays bounded.
"""

from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.form import ExtractionResult
from extractor.pipeline import Extractor

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
WORDS = st.sampled_from(["Hotel", "in", "München", "vom", "3.", "bis", "5. Mai", "2 EZ",
                         "max", "150", "EUR", "€", "breakfast", "KW", "23", "next", "Friday",
                         "\n", "-", "to", "nights", "Zimmer", "Anreise:", "ab", "morgen"])
CHARSETS = st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "bogus", "uft-8", "1"])


@pytest.fixture(scope="module")
def extractor(tiny_model_dir: Path) -> Extractor:
    return Extractor.load(tiny_model_dir)


def holds_contract(result: ExtractionResult) -> None:
    ExtractionResult.model_validate_json(result.model_dump_json())
    if result.status == "error":
        assert result.stays == [] and result.error is not None
    for stay in result.stays:
        stay.values()  # a stay always converts to plain values
        for name in type(stay).model_fields:
            for ev in stay.field(name).evidence:
                assert 0 <= ev.start <= ev.end <= len(result.text)


@FUZZ
@given(text=st.text(max_size=400) | st.lists(WORDS, max_size=60).map(" ".join))
def test_any_text(extractor, text):
    result = extractor.extract_text(text)
    assert result.text == text
    holds_contract(result)


def mime_tree(depth: int):  # noqa: ANN201 - a hypothesis strategy
    leaf = st.builds(_leaf, st.text(max_size=200), CHARSETS,
                     st.sampled_from(["plain", "html"]), st.sampled_from(["7bit", "base64",
                                                                          "quoted-printable"]))
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.builds(_multipart, st.lists(mime_tree(depth - 1), min_size=1,
                                                          max_size=3),
                                     st.sampled_from(["mixed", "alternative", "related"])))


def _leaf(body: str, charset: str, subtype: str, cte: str) -> EmailMessage:
    part = EmailMessage()
    part["Content-Type"] = f'text/{subtype}; charset="{charset}"'
    part["Content-Transfer-Encoding"] = cte
    data = body.encode("utf-8", "surrogatepass") if charset != "iso-8859-1" else body.encode(
        "latin-1", "replace")
    part.set_payload(data.decode("latin-1"))
    return part


def _multipart(parts: list[EmailMessage], subtype: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Content-Type"] = f"multipart/{subtype}"
    msg.set_boundary(f"b{id(msg)}")
    for p in parts:
        msg.attach(p)
    return msg


@FUZZ
@given(tree=mime_tree(3), subject=st.text(max_size=80))
def test_any_mime_tree(extractor, tree, subject):
    try:
        tree["Subject"] = "".join(ch for ch in subject if ch.isprintable())
        tree["From"] = "a@b(<c@d>"
        tree["Date"] = "Mon, 20 Apr 2026 09:12:00 +0200"
        raw = tree.as_bytes()
    except (UnicodeError, ValueError, LookupError):
        return  # the generator built a message the stdlib cannot serialize: nothing to read
    holds_contract(extractor.extract_email(raw))
