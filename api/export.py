"""Reviewed items as training annotations (`annotations.schema.AnnotatedEmail`, origin
"review") — how the reviewers' work flows back into training.

- `text`: the text the model saw (the stored result's `text`), so offsets stay valid.
- `form`: the reviewer's answer, exactly.
- `spans`: the model's evidence, but only for fields whose value the reviewer kept (same
  stay position, equal value). A changed value's evidence pointed at the wrong words, and
  where the right words are is unknown, so such fields get no span rather than a wrong one.
  Spans shared by several stays (a traveller named once for a trip) are written once;
  overlapping spans of different labels are dropped (the guideline forbids overlaps, E105).
- `form.stays[i].implied`: the reviewer's own marks, and every field whose value the reviewer
  kept from a suggestion the email implies rather than writes (source derived or history), so
  the line validates without a span for it, as the guideline asks of implied values.
- `meta.spans_complete`: false when some non-null answer value has no span, so training can
  tell a full annotation from a partial one and weight or skip it. A value the answer marks
  `implied` (the email implies it, or the quoted message holds it) needs no span, and
  `children`, which is no span label, never does.
"""

from __future__ import annotations

from annotations.schema import AnnotatedEmail, Span
from api.store import StoredItem, suggested_form
from extractor.form import (  # FIELDS: the span labels, every stay field but children
    FIELDS,
    STAY_FIELDS,
    FormValues,
    StayValues,
)

_LANGUAGES = ("en", "de", "mixed")


def to_annotation(stored: StoredItem) -> AnnotatedEmail:
    """The annotation line of a reviewed item (raises ValueError when it has no answer)."""
    if stored.answer is None:
        raise ValueError(f"item {stored.item.id} has no answer")
    result, answer = stored.result, stored.answer
    text = result.text
    kept: dict[tuple[int, int], str] = {}
    complete = True
    suggestion = suggested_form(result)
    form = _with_implied(answer, suggestion.stays if suggestion is not None else [])
    for index, values in enumerate(form.stays):
        suggested = result.stays[index] if index < len(result.stays) else None
        for name in FIELDS:
            value = getattr(values, name)
            if value is None:
                continue
            field = suggested.field(name) if suggested is not None else None
            if field is None or field.value != value or not field.evidence:
                complete = complete and name in values.implied
                continue
            for ev in field.evidence:
                if ev.end > ev.start:
                    kept.setdefault((ev.start, ev.end), name)
    spans = _without_overlaps([Span(start=s, end=e, label=label, text=text[s:e])
                               for (s, e), label in sorted(kept.items())])
    if len(spans) < len(kept):
        complete = False
    return AnnotatedEmail(
        id=f"review-{stored.item.id}", text=text, received_at=result.received_at,
        language=result.language if result.language in _LANGUAGES else None,  # type: ignore[arg-type]
        origin="review", spans=spans, form=form,
        meta={"item_id": stored.item.id, "external_id": stored.item.external_id,
              "reviewed_by": stored.item.reviewed_by, "version": stored.item.version,
              "reviewed_at": stored.item.reviewed_at.isoformat()
              if stored.item.reviewed_at else None,
              "suggested_intent": result.intent, "spans_complete": complete},
    )


def _with_implied(answer: FormValues, suggested: list[StayValues]) -> FormValues:
    """`answer` with each stay's `implied` completed: a kept suggestion (same stay position,
    equal value) whose source is derived or history is implied.

    `suggested` comes unvalidated (`store.suggested_form`): the model's suggestion may be
    invalid (check_out before check_in) where the reviewer's answer is not, and one such item
    must not break the export stream half-way.
    """
    stays: list[StayValues] = []
    for index, values in enumerate(answer.stays):
        marks = set(values.implied)
        if index < len(suggested):
            kept = suggested[index]
            marks |= {name for name in kept.implied
                      if getattr(values, name) is not None
                      and getattr(values, name) == getattr(kept, name)}
        stays.append(values.model_copy(
            update={"implied": [n for n in STAY_FIELDS if n in marks]}))
    return answer.model_copy(update={"stays": stays})


def _without_overlaps(spans: list[Span]) -> list[Span]:
    # Spans arrive sorted by start; a span overlapping its neighbour is dropped with it,
    # since which of the two labels is right cannot be told.
    bad: set[int] = set()
    for i in range(len(spans) - 1):
        for j in range(i + 1, len(spans)):
            if spans[j].start >= spans[i].end:
                break
            bad.update((i, j))
    return [s for i, s in enumerate(spans) if i not in bad]
