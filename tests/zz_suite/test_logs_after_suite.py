"""Hardening row 14: after the whole suite, the logs hold no email body, address or API key.

This folder's name sorts last, so pytest runs this test after every other one (in a full
`make test` run); `tests/conftest.py` keeps every log record of the session.
"""

import re

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
API_KEY = re.compile(r"\bsfk_[A-Za-z0-9_-]{20,}")
# phrases from the bodies the tests send (sample inbox, API tests, XSS corpus)
BODY_PHRASES = ("please book", "bitte buchen", "onerror=", "<svg", "Hotel in Munich")


def test_no_body_address_or_key_in_the_logs(suite_log_lines: list[str]):
    lines = suite_log_lines
    assert lines, "the suite logged nothing: the capture is not working"
    leaks = [line for line in lines
             if ADDRESS.search(line) or API_KEY.search(line)
             or any(p.lower() in line.lower() for p in BODY_PHRASES)]
    assert leaks == [], leaks[:5]
