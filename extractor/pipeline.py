"""The extractor end to end: email -> text -> spans (model, rules) -> merge -> normalize ->
stays -> confidence and routing.

`Extractor.load(model_dir)` once per process; `extract_prepared` processes many messages with
one batched forward pass, which is what makes `stayform batch` fast. It is two stages, `score`
(the model: torch, which releases the GIL) and `finish` (rules, merge, normalize, stays,
routing: Python), so that a caller can run the model on one chunk while finishing the last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import cast

import numpy as np
from safetensors import SafetensorError

from extractor.confidence import Calibration
from extractor.dropouts import without_dropouts
from extractor.form import INTENTS, Change, ExtractionResult, Intent, Segment, Sender, Stay
from extractor.implied import imply
from extractor.inputs import content_id
from extractor.intent import LexicalIntent
from extractor.intent_words import final_intent, nothing_asked
from extractor.language import detect_language
from extractor.layout import Layout
from extractor.merge import merge_spans
from extractor.model import ModelLoadError, TextScores, TokenTagger, check_weights
from extractor.prepared import MAX_READ_CHARS, Prepared
from extractor.read import EmailReadError, read_email
from extractor.requester import asking, forwarders_sign_offs
from extractor.route import calibrate, route, unusual
from extractor.rules import RuleFinder
from extractor.spans import FoundSpan, absence_confidence, decode_model_spans
from extractor.stays import build_stays
from extractor.stays.reference import event_reference, staying_now_reference
from extractor.thread import combine, shift
from extractor.values.valued import normalize_spans

__all__ = ["MAX_READ_CHARS", "Extractor", "ModelLoadError", "Prepared"]

def _reference(item: Prepared, spans: list[FoundSpan], received: dt.datetime, text: str,
               rules: Sequence[FoundSpan] = (), intent: Intent = "new_booking") -> dt.date:
    """The day relative dates are read against: the message's, or a forwarded original's when
    every relative date of the request ("next Friday": one without a digit) stands in it
    (the Friday after the original was written, though the forwarder adds "Abreise 5.9."),
    or days before the one event it dates when the stay's days are weekdays only, or the
    week before it when a change or cancellation is written from the hotel the writer is at
    (`extractor.stays.reference`)."""
    dates = [s for s in spans if s.field in ("check_in", "check_out")
             and not any(c.isdigit() for c in text[s.start : s.end])]
    for seg in item.segments:
        if seg.kind == "forwarded" and seg.sent_at is not None and dates and all(
                seg.start <= s.start and s.end <= seg.end for s in dates):
            return seg.sent_at.date()
    if intent in ("modification", "cancellation") and (
            now := staying_now_reference(spans, text, received.date())):
        return now
    return event_reference(spans, list(rules), text, received.date()) or received.date()


def _calibration(model_dir: Path) -> Calibration:
    """The calibration saved in `model_dir` (raises ModelLoadError when malformed)."""
    try:
        return Calibration.load(model_dir)
    except (ValueError, KeyError, TypeError) as e:
        raise ModelLoadError(f"{model_dir}/calibration.json is malformed: {e}") from e


def _lexical_intent(model_dir: Path) -> LexicalIntent | None:
    """The lexical intent model saved in `model_dir` (raises ModelLoadError when it cannot
    be loaded)."""
    try:
        return LexicalIntent.load(model_dir, len(INTENTS))
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as e:
        raise ModelLoadError(f"{model_dir}: the intent model cannot be loaded: {e}") from e


class Extractor:
    """Fills hotel request forms from emails and texts. Load once, call many times."""

    def __init__(self, tagger: TokenTagger, rules: RuleFinder, calibration: Calibration, *,
                 threshold: float | None = None, max_email_bytes: int = 10 * 1024 * 1024,
                 lexical_intent: LexicalIntent | None = None) -> None:
        self.tagger = tagger
        self.lexical_intent = lexical_intent
        self.rules = rules
        self.calibration = calibration
        self.threshold = calibration.threshold if threshold is None else threshold
        self.max_email_bytes = max_email_bytes

    @classmethod
    def load(cls, model_dir: str | Path, *, review_threshold: float | None = None,
             max_email_bytes: int = 10 * 1024 * 1024) -> Extractor:
        """Load the model folder written by `stayform train` (raises ModelLoadError)."""
        model_dir = Path(model_dir)
        calibration = _calibration(model_dir)
        tagger = TokenTagger.load(model_dir, temperature=calibration.temperature)
        return cls(tagger, RuleFinder(), calibration, threshold=review_threshold,
                   max_email_bytes=max_email_bytes, lexical_intent=_lexical_intent(model_dir))

    @staticmethod
    def check(model_dir: str | Path) -> None:
        """Raise ModelLoadError where `load` would refuse the folder's files as they are
        (missing, of other labels, unreadable headers, a malformed calibration or intent
        model), without loading the network: the batch command's check before its workers
        load it. Weights corrupt past their header are found by `load` only."""
        model_dir = Path(model_dir)
        check_weights(model_dir)
        _calibration(model_dir)
        _lexical_intent(model_dir)

    # -- entry points -------------------------------------------------------------------
    def extract_text(self, text: str, *, received_at: dt.datetime | None = None,
                     id: str | None = None) -> ExtractionResult:
        """The form of a plain text (evidence offsets index into `text` unchanged)."""
        return self.extract_prepared([self.prepare_text(text, received_at=received_at,
                                                        id=id)])[0]

    @staticmethod
    def prepare_text(text: str, *, received_at: dt.datetime | None = None,
                     id: str | None = None) -> Prepared:
        """A plain text as `extract_text` reads it, named by `id` or by its content."""
        return Prepared.of_text(id or content_id(text.encode("utf-8")), text, received_at)

    def extract_email(self, raw: bytes, *, received_at: dt.datetime | None = None,
                      id: str | None = None) -> ExtractionResult:
        """The form of a raw RFC 5322 message; an unreadable one gives an `error` result."""
        prepared = self.prepare_email(raw, received_at=received_at, id=id)
        if isinstance(prepared, ExtractionResult):
            return prepared
        return self.extract_prepared([prepared])[0]

    def prepare_email(self, raw: bytes, *, received_at: dt.datetime | None = None,
                      id: str | None = None, defects: tuple[str, ...] = ()
                      ) -> Prepared | ExtractionResult:
        """Read a raw message into a `Prepared`, or the `error` result if it cannot be read.
        `defects` are what an earlier step noticed (an mbox message cut off: `truncated`)."""
        fallback_id = id or content_id(raw)
        try:
            msg = read_email(raw, max_bytes=self.max_email_bytes)
        except EmailReadError as e:
            return ExtractionResult.failed(id=fallback_id, code=e.code, message=str(e),
                                           received_at=received_at)
        return Prepared(id=id or msg.message_id or fallback_id, text=msg.text,
                        received_at=received_at or msg.received_at, subject=msg.subject,
                        defects=tuple(msg.defects) + defects, segments=msg.segments,
                        own_end=msg.request_end if msg.request_end < len(msg.text) else None,
                        titled=msg.titled,
                        sender=Sender(name=msg.sender_name, address=msg.sender)
                        if msg.sender or msg.sender_name else None)

    def extract_prepared(self, items: Sequence[Prepared], *, batch_size: int = 32
                         ) -> list[ExtractionResult]:
        """The forms of prepared messages, with one batched model pass over all of them."""
        return self.finish(items, self.score(items, batch_size=batch_size))

    def score(self, items: Sequence[Prepared], *, batch_size: int = 32) -> list[TextScores]:
        """The model stage: word tag and intent probabilities (the intent stacked with the
        lexical model's when the folder has one), for every item and then for every item's
        quoted history (`Prepared.quoted`), in order."""
        texts = [p.read for p in items] + [q.read for p in items if (q := p.quoted)]
        scores = self.tagger.score(texts, batch_size=batch_size)
        if self.lexical_intent is None or not scores:
            return scores
        stacked = self.lexical_intent.combine(np.stack([s.intent_probs for s in scores]), texts)
        return [replace(s, intent_probs=m) for s, m in zip(scores, stacked, strict=True)]

    def finish(self, items: Sequence[Prepared], scores: Sequence[TextScores]
               ) -> list[ExtractionResult]:
        """The stages after the model, for `items` and their `score()`."""
        quotes = [p.quoted for p in items]
        own, quote_scores = scores[: len(items)], iter(scores[len(items) :])
        intents = [final_intent(cast(Intent, INTENTS[int(s.intent_probs.argmax())]), p.read,
                                p.quoted.text if p.quoted else None,
                                p.quoted.segments[0].end if p.quoted else 0)
                   for s, p in zip(own, items, strict=True)]
        # a hotel request is merged into stays; any other email is answered by its intent
        # alone. A quote is read as a booking whatever it is: it says what a reply is about.
        texts = [p.read for p, i in zip(items, intents, strict=True) if i != "not_hotel"]
        found = self.rules.find(texts + [q.read for q in quotes if q])
        own_found, quote_found = iter(found[: len(texts)]), iter(found[len(texts) :])
        forms = []
        for item, score, intent, quote in zip(items, own, intents, quotes, strict=True):
            quoted: list[Stay] | None = None
            if quote is not None:
                quote_score, quote_spans = next(quote_scores), next(quote_found)
                if intent != "not_hotel":
                    stays, _ = self._stays(quote, quote_score, "new_booking", quote_spans)
                    quoted = shift(stays, item.quoted_start)
            forms.append(self._form(item, score, intent,
                                    next(own_found) if intent != "not_hotel" else None, quoted))
        return forms

    # -- the steps after the model ------------------------------------------------------
    def _stays(self, item: Prepared, scores: TextScores, intent: Intent,
               rule_spans: list[FoundSpan]) -> tuple[list[Stay], list[str]]:
        """merge -> normalize -> stays -> implied values, for the text `item` reads."""
        received = item.received_at or dt.datetime.now(dt.UTC)
        text = item.read
        layout = Layout(text)
        spans = merge_spans(decode_model_spans(scores, text), rule_spans,
                            text=text, intent=intent, layout=layout)
        valued = normalize_spans(spans, layout)
        reference = _reference(item, spans, received, text, rule_spans, intent)
        stays, issues = build_stays(valued, layout, reference=reference,
                                    lang=detect_language(text))
        return self._implied(item, stays, intent, layout), issues

    @staticmethod
    def _implied(item: Prepared, stays: list[Stay], intent: Intent, layout: Layout) -> list[Stay]:
        known = tuple(a for a in [item.sender.name if item.sender else None,
                                  *(seg.author for seg in item.segments),
                                  *item.titled] if a)
        sender, asked = asking(item, layout.text)
        return imply(stays, intent=intent, layout=layout, sender=sender, known=known,
                     signed=forwarders_sign_offs(item, layout.text), asked=asked,
                     answers=item.asked is None and item.quoted is not None,
                     addressee=item.addressee)

    def _form(self, item: Prepared, scores: TextScores, intent: Intent,
              rule_spans: list[FoundSpan] | None, quoted: list[Stay] | None
              ) -> ExtractionResult:
        """The result of one message: its stays (none for an email that is no hotel request:
        `rule_spans` None) combined with the quoted booking's, calibrated and routed."""
        stays: list[Stay] = []
        issues: list[str] = []
        changes: list[Change] = []
        if rule_spans is not None:
            stays, issues = self._stays(item, scores, intent, rule_spans)
            stays, changes = combine(
                intent, stays, quoted or [], text=item.read,
                reference=(item.received_at or dt.datetime.now(dt.UTC)).date())
            stays = without_dropouts(stays, item.read, intent)
            if intent == "cancellation" and quoted:  # the writer's own booking, quoted below
                stays = self._implied(item, stays, intent, Layout(item.read))
            intent = nothing_asked(intent, bool(stays), item.read)
            stays = stays if intent != "not_hotel" else []
        stays, intent_confidence = calibrate(
            stays, intent, float(scores.intent_probs[INTENTS.index(intent)]),
            absence_confidence(scores), self.calibration)
        segments = list(item.segments) or [Segment(start=0, end=len(item.text), kind="new")]
        received = item.received_at.date() if item.received_at is not None else None
        issues = issues + unusual(stays, intent=intent, received=received,
                                  messages=len(segments))
        status, reasons = route(intent=intent, intent_confidence=intent_confidence, stays=stays,
                                threshold=self.threshold, issues=issues, defects=item.notes)
        return ExtractionResult(
            id=item.id, received_at=item.received_at, language=detect_language(item.read),
            intent=intent, intent_confidence=intent_confidence, status=status,
            review_reasons=reasons, subject=item.subject, sender=item.sender, text=item.text,
            segments=segments, stays=stays, changes=changes, warnings=list(item.notes))
