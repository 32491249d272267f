"""The generator of annotated training emails: determinism, exact spans, forms that follow the
guideline, and enough variety to train on."""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections import Counter

import pytest

from annotations.generator import generate
from annotations.generator.context import Ctx
from annotations.generator.dates import DatePlan, DateValues, fill, relative_forms
from annotations.generator.datewords import iso_week_monday, resolve_yearless
from annotations.generator.vocab import vocab
from annotations.markup import parse_markup, to_markup
from annotations.schema import AnnotatedEmail
from extractor.form import FIELDS
from extractor.values.venues import place_of_workplace

N = 2000
_TITLES = re.compile(r"^((Herrn?|Frau|Hr\.|Fr\.|Mrs?\.?|Ms\.?|Dr\.?|Prof\.?)\s+)+", re.I)


@pytest.fixture(scope="module")
def emails() -> list[AnnotatedEmail]:
    return list(generate(N, seed=7))


def _city_names() -> dict[str, str]:
    table: dict[str, str] = {}
    for city in vocab().cities:
        for form in (city.name, city.de, *city.alt):
            table[form.lower()] = city.name
            table[form.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue",
                                                        "ß": "ss"}))] = city.name
    return table


def problems(email: AnnotatedEmail) -> list[str]:
    """Everything wrong with one generated email, as readable strings."""
    out: list[str] = []
    text = email.text
    spans = sorted(email.spans, key=lambda s: s.start)
    if (text, [s.model_dump() for s in spans]) != \
            (lambda t, s: (t, [x.model_dump() for x in s]))(*parse_markup(to_markup(text, spans))):
        out.append("markup round trip differs")
    for s in spans:
        if s.label not in FIELDS:
            out.append(f"unknown label {s.label}")
        if not 0 <= s.start < s.end <= len(text):
            out.append(f"span {s} outside text")
            continue
        if s.text != text[s.start : s.end]:
            out.append(f"span text {s.text!r} != {text[s.start:s.end]!r}")
        if (s.start > 0 and text[s.start - 1].isalnum()) or \
                (s.end < len(text) and text[s.end].isalnum()):
            out.append(f"span {s.text!r} cuts a word")
        if s.text != s.text.strip():
            out.append(f"span {s.text!r} has outer spaces")
    for a, b in zip(spans, spans[1:], strict=False):
        if b.start < a.end:
            out.append(f"overlap {a.text!r} {b.text!r}")
    by_label: dict[str, list[str]] = {}
    for s in spans:
        by_label.setdefault(s.label, []).append(s.text or "")
    form = email.form
    if form.intent == "not_hotel":
        # only a confirmation marks the booking it confirms (a reply may quote it)
        if form.stays or (spans and email.meta.get("template") != "not_hotel/confirmation"):
            out.append("not_hotel with stays or spans")
        return out
    if not form.stays:
        out.append(f"{form.intent} without stays")
    today = email.received_at.date() if email.received_at else None
    cities = _city_names()
    for stay in form.stays:
        values = stay.model_dump()
        for name in FIELDS:
            if values[name] is None or name in by_label or name in stay.implied:
                continue
            derived = (name == "nights" and stay.check_in and stay.check_out) or (
                name == "check_out" and stay.check_in and (
                    "nights" in by_label or (stay.check_in.weekday() == 0 and
                                             (stay.check_out - stay.check_in).days == 4)))
            if not derived:
                out.append(f"{name}={values[name]!r} has no span")
        if stay.check_in and stay.check_out and stay.nights is not None and \
                stay.nights != (stay.check_out - stay.check_in).days:
            out.append("nights inconsistent with dates")
        if stay.check_in and today and stay.check_in < today:
            out.append("check_in in the past")
        if stay.hotel_name is not None and stay.hotel_name not in by_label.get("hotel_name", []):
            out.append(f"hotel {stay.hotel_name!r} not a span text")
        if stay.near is not None and stay.near not in [
                place_of_workplace(t) for t in by_label.get("near", [])]:
            out.append(f"near {stay.near!r} not a span text")
        for name in stay.implied:
            if values[name] in (None, []):
                out.append(f"{name} implied but null")
        for name in stay.traveler_names or []:
            spanned = name in [_TITLES.sub("", t) for t in by_label.get("traveler_names", [])]
            # a traveller who is not marked is the writer, as signed (ANNOTATION.md)
            signed = "traveler_names" in stay.implied and name in text
            if not (spanned or signed):
                out.append(f"traveller {name!r} not a span text nor the signed name")
    dest_values = {s.destination for s in form.stays}
    for t in by_label.get("destination", []):
        if cities.get(t.lower()) not in dest_values:
            out.append(f"destination span {t!r} is no stay's destination")
    return out


def test_same_seed_same_emails() -> None:
    a = [e.model_dump_json() for e in generate(60, seed=3)]
    b = [e.model_dump_json() for e in generate(60, seed=3)]
    assert a == b
    assert a[:20] == [e.model_dump_json() for e in generate(20, seed=3)]
    assert a != [e.model_dump_json() for e in generate(60, seed=4)]


def test_ids_origin_and_meta(emails: list[AnnotatedEmail]) -> None:
    assert [e.id for e in emails[:3]] == ["gen-7-0", "gen-7-1", "gen-7-2"]
    assert len({e.id for e in emails}) == N
    assert {e.origin for e in emails} == {"generated"}
    assert all(set(e.meta) == {"template", "style"} for e in emails)


def test_every_email_is_consistent(emails: list[AnnotatedEmail]) -> None:
    bad = {e.id: p for e in emails if (p := problems(e))}
    assert not bad, list(bad.items())[:5]


def test_problems_catches_broken_annotations(emails: list[AnnotatedEmail]) -> None:
    email = next(e for e in emails if e.form.intent == "new_booking" and e.spans)
    moved = email.model_copy(deep=True)
    moved.spans[0].start += 1
    assert problems(moved)
    dropped = email.model_copy(deep=True)
    dropped.spans = [s for s in dropped.spans if s.label != "destination"]
    if email.form.stays[0].destination:
        assert any("destination" in p for p in problems(dropped))


def test_received_at_spread_and_offsets(emails: list[AnnotatedEmail]) -> None:
    years = Counter(e.received_at.year for e in emails if e.received_at)
    assert set(years) == {2025, 2026, 2027}
    offsets = {e.received_at.utcoffset() for e in emails if e.received_at}
    assert offsets == {dt.timedelta(hours=h) for h in (1, 2, 0, -5)}


def test_mixes_of_language_intent_and_template(emails: list[AnnotatedEmail]) -> None:
    langs = Counter(e.language for e in emails)
    assert 0.50 < langs["en"] / N < 0.60
    assert 0.35 < langs["de"] / N < 0.45
    assert 0.03 < langs["mixed"] / N < 0.08
    intents = Counter(e.form.intent for e in emails)
    assert 0.16 < intents["not_hotel"] / N < 0.24
    assert intents["modification"] > 0.05 * N and intents["cancellation"] > 0.04 * N
    templates = Counter(e.meta["template"] for e in emails)
    assert len(templates) >= 30
    assert Counter(e.meta["style"] for e in emails).keys() == {"formal", "neutral", "chatty",
                                                               "mobile"}


def test_every_label_is_frequent_and_varied(emails: list[AnnotatedEmail]) -> None:
    counts: Counter[str] = Counter()
    contexts: dict[str, set[str]] = {label: set() for label in FIELDS}
    texts: dict[str, set[str]] = {label: set() for label in FIELDS}
    for e in emails:
        for s in e.spans:
            counts[s.label] += 1
            before = " ".join(e.text[max(0, s.start - 25) : s.start].lower().split()[-2:])
            contexts[s.label].add(before)
            texts[s.label].add(s.text or "")
    for label in FIELDS:
        assert counts[label] >= 150, (label, counts[label])
        assert len(contexts[label]) >= 40, (label, len(contexts[label]))
        assert len(texts[label]) >= 12, (label, len(texts[label]))


def test_optional_fields_vary_independently(emails: list[AnnotatedEmail]) -> None:
    stays = [s for e in emails if e.form.intent == "new_booking" for s in e.form.stays]
    for name in ("rooms", "guests", "room_type", "hotel_name", "near", "max_price", "breakfast",
                 "traveler_names"):
        # written values: implied ones follow from who travels, not from their own draw
        share = sum(getattr(s, name) is not None and name not in s.implied
                    for s in stays) / len(stays)
        assert 0.12 <= share <= 0.75, (name, share)
    bookings = [e for e in emails if e.form.intent == "new_booking"]
    stated_nights = sum(any(s.label == "nights" for s in e.spans) for e in bookings)
    assert 0.15 <= stated_nights / len(bookings) <= 0.6
    assert any(s.breakfast is False for s in stays) and any(s.max_price and s.max_price.per ==
                                                            "stay" for s in stays)


def test_dates_cover_hard_cases(emails: list[AnnotatedEmail]) -> None:
    bookings = [e for e in emails if e.form.intent == "new_booking"]
    vague = [e for e in bookings if all(s.check_in is None for s in e.form.stays)]
    assert 0.01 < len(vague) / len(bookings) < 0.07
    rollover = [e for e in bookings if e.received_at and e.received_at.month == 12 and
                any(s.check_in and s.check_in.year == e.received_at.year + 1 and
                    s.check_in.month == 1 for s in e.form.stays)]
    assert len(rollover) >= 30
    span_texts = {s.text for e in bookings for s in e.spans if s.label == "check_in"}
    for needle in ("KW", "next ", "morgen", "tomorrow", "nächste Woche"):
        assert any(needle.lower() in (t or "").lower() for t in span_texts), needle
    multi = [e for e in bookings if len(e.form.stays) >= 2]
    assert len(multi) > 0.05 * len(bookings)
    assert any(len(e.form.stays) == 3 for e in multi)


def test_multi_stay_copies_shared_fields(emails: list[AnnotatedEmail]) -> None:
    copied = 0
    for e in emails:
        if len(e.form.stays) >= 2 and e.form.stays[0].breakfast is not None:
            assert len({s.breakfast for s in e.form.stays}) == 1
            copied += 1
    assert copied >= 10


def test_date_reading_helpers() -> None:
    assert resolve_yearless(dt.date(2026, 4, 20), 5, 3) == dt.date(2026, 5, 3)
    assert resolve_yearless(dt.date(2026, 12, 20), 1, 3) == dt.date(2027, 1, 3)
    assert iso_week_monday(dt.date(2026, 4, 20), 23) == dt.date(2026, 6, 1)
    assert iso_week_monday(dt.date(2026, 11, 20), 2) == dt.date(2027, 1, 11)


def test_negatives_mention_cities_and_dates_unlabelled(emails: list[AnnotatedEmail]) -> None:
    negatives = [e for e in emails if e.form.intent == "not_hotel"]
    kinds = Counter(e.meta["template"] for e in negatives)
    assert len(kinds) >= 9
    assert sum(bool(re.search(r"\d", e.text)) for e in negatives) > 0.7 * len(negatives)


def test_a_confirmation_marks_the_booking_a_reply_would_quote(
        emails: list[AnnotatedEmail]) -> None:
    confirmations = [e for e in emails if e.meta["template"] == "not_hotel/confirmation"]
    assert confirmations
    for e in confirmations:
        assert e.form.intent == "not_hotel" and not e.form.stays
        assert {"hotel_name", "check_in", "check_out"} <= {s.label for s in e.spans}, e.text


def test_three_thousand_emails_are_fast() -> None:
    start = time.perf_counter()
    assert sum(1 for _ in generate(3000, seed=11)) == 3000
    assert time.perf_counter() - start < 30


def test_every_date_phrasing_list_has_one_that_always_fits() -> None:
    # today's check-in cannot be written without a year ("3 May" on 3 May reads as next year),
    # so every list needs a phrasing whose dates may carry one
    only_yearless = re.compile(r"\{(ci|co):(D|TH|DM|MD|THM|NUM|REL|WD|WDN|WDNEXT)\}")
    for lang in ("en", "de"):
        for family, kinds in vocab().dates[lang].items():
            if family == "vague_forms":
                continue
            for kind, templates in kinds.items():
                assert any(not only_yearless.search(t) for t in templates), (lang, family, kind)


def _ctx(today: dt.date, lang: str = "en", seed: int = 0) -> Ctx:
    received = dt.datetime.combine(today, dt.time(10), tzinfo=dt.UTC)
    return Ctx(rng=random.Random(seed), lang=lang, received_at=received, style="neutral")


def _spans(markup: str) -> list[tuple[str, str]]:
    return [(s.label, s.text or "") for s in parse_markup(markup)[1]]


def test_may_3_5_marks_month_with_check_in_and_day_with_check_out() -> None:
    plan = DatePlan("range", dt.date(2026, 5, 3), dt.date(2026, 5, 5), 2)
    for seed in range(20):
        markup, values = fill(_ctx(dt.date(2026, 4, 20), seed=seed), "en", plan, "{ci:MD}-{co:D}")
        (l1, t1), (l2, t2) = _spans(markup)
        assert (l1, l2) == ("check_in", "check_out") and t1.startswith("May 3") and t2[0] == "5"
        assert values == DateValues(plan.check_in, plan.check_out, 2)


def test_german_day_range_3_to_5_mai() -> None:
    plan = DatePlan("range", dt.date(2026, 5, 3), dt.date(2026, 5, 5), 2)
    markup, _ = fill(_ctx(dt.date(2026, 4, 20), "de"), "de", plan, "vom {ci:D} bis {co:DM}")
    assert _spans(markup)[0][1] in ("3.", "03.") and _spans(markup)[1][1].endswith("5. Mai")


def test_day_ranges_need_one_month() -> None:
    plan = DatePlan("range", dt.date(2026, 4, 30), dt.date(2026, 5, 2), 2)
    assert fill(_ctx(dt.date(2026, 4, 20)), "en", plan, "{ci:D}-{co:DM}") is None


def test_yearless_dates_only_where_they_read_back() -> None:
    # written on 20 December, "3 January" is next year's: fine; "20 December" itself is not
    ctx = _ctx(dt.date(2026, 12, 20))
    jan = DatePlan("in_nights", dt.date(2027, 1, 3), dt.date(2027, 1, 5), 2)
    assert fill(ctx, "en", jan, "from {ci:DM} for {n}") is not None
    today = DatePlan("in_nights", dt.date(2026, 12, 20), dt.date(2026, 12, 22), 2)
    assert fill(ctx, "en", today, "from {ci:DM} for {n}") is None


def test_next_weekday_only_when_unambiguous() -> None:
    monday, friday, saturday = dt.date(2026, 4, 20), dt.date(2026, 4, 24), dt.date(2026, 4, 25)
    ctx = _ctx(monday)
    assert "tomorrow" in relative_forms(ctx, "en", monday, dt.date(2026, 4, 21))
    # on Monday "next Friday" may mean this Friday or the one after: never written
    assert not any(f.startswith("next ") for f in relative_forms(ctx, "en", monday, friday))
    assert "next Tuesday" in relative_forms(ctx, "en", friday, dt.date(2026, 4, 28)) or \
        "next Tue" in relative_forms(ctx, "en", friday, dt.date(2026, 4, 28))
    assert not any(f.startswith("next T") for f in
                   relative_forms(ctx, "en", saturday, dt.date(2026, 4, 28)))
    assert any(f.startswith("nächste Woche") for f in
               relative_forms(_ctx(monday, "de"), "de", monday, dt.date(2026, 4, 29)))


def test_calendar_week_marks_check_in_and_derives_friday() -> None:
    plan = DatePlan("kw", dt.date(2026, 6, 1), dt.date(2026, 6, 5), 4)
    markup, values = fill(_ctx(dt.date(2026, 4, 20), "de"), "de", plan, "in der {ci:KW}")
    assert [label for label, _ in _spans(markup)] == ["check_in"]
    assert "23" in _spans(markup)[0][1]
    assert values == DateValues(dt.date(2026, 6, 1), dt.date(2026, 6, 5), 4)


def test_nights_with_check_in_only_derive_check_out() -> None:
    plan = DatePlan("in_nights", dt.date(2026, 5, 3), dt.date(2026, 5, 6), 3)
    markup, values = fill(_ctx(dt.date(2026, 4, 20)), "en", plan, "from {ci:ANY} for {n}")
    assert [label for label, _ in _spans(markup)] == ["check_in", "nights"]
    assert values.check_out == dt.date(2026, 5, 6) and values.nights == 3
