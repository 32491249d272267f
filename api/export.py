"""Reviewed items as training annotations (`annotations.schema.AnnotatedEmail`, origin
"review") — how the reviewers' work flows back into training.

- `text`: the text the model saw (the stored result's `text`), so offsets stay valid.
- `form`: the reviewer's answer, exactly.
- `spans`: where the answer's values stand in the text. An answer saved on the review page
  carries the reviewer's own evidence (selected in the email, the model's kept, or found for
  a typed value and shown before saving: `api.evidence_form`), and that is used as it is.
  An answer sent to the API has none: then the model's evidence is used, but only for
  fields whose value the reviewer kept (same stay position, equal value); a changed value's
  evidence pointed at the wrong words, so a typed name or place is looked up in the text as
  the page looks it up (`human_evidence.locate`), and anything else gets no span.
  Span edges are tidied to whole words (`human_evidence.tidy`); spans shared by several stays
  (a traveller named once for a trip) are written once; overlapping spans of different labels
  are dropped (the guideline forbids overlaps, E105).
- `form.stays[i].implied`: the reviewer's own marks, and every field whose value the reviewer
  kept from a suggestion the email implies rather than writes (source derived or history), so
  the line validates without a span for it, as the guideline asks of implied values.
- `meta.spans_complete`: false when some non-null answer value has no span (and is not
  implied), `meta.evidence`: "reviewer" or "model" (where the spans came from).

`trainable` is what the export endpoint writes: only annotations that pass the per-email
checks of `annotations.validate` (a value without a span is E106). An item whose values are
not all located — the reviewer typed a date and pointed at no words — would teach the model
that the words stating it are no evidence, so it is left out, with a warning naming the item
and its problems, instead of being written with a made-up `implied` mark.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from annotations.schema import AnnotatedEmail, Span
from annotations.validate import check_email
from api.human_evidence import locate, tidy
from api.store import StoredItem, suggested_form
from extractor.form import (  # FIELDS: the span labels, every stay field but children
    FIELDS,
    STAY_FIELDS,
    Evidence,
    FormValues,
    StayValues,
)

log = logging.getLogger("stayform.export")
_LANGUAGES = ("en", "de", "mixed")


def to_annotation(stored: StoredItem) -> AnnotatedEmail:
    """The annotation line of a reviewed item (raises ValueError when it has no answer)."""
    if stored.answer is None:
        raise ValueError(f"item {stored.item.id} has no answer")
    result, answer = stored.result, stored.answer
    text = result.text
    suggestion = suggested_form(result)
    # the page saves the reviewer's own implied marks with their evidence; an API answer's
    # are completed from the suggestion
    form = answer if stored.evidence is not None else _with_implied(
        answer, suggestion.stays if suggestion is not None else [])
    claims: dict[tuple[int, int], str] = {}
    wanted: set[str] = set()  # the labels some non-implied value needs a span of
    for index, values in enumerate(form.stays):
        for name in FIELDS:
            if getattr(values, name) is None or name in values.implied:
                continue
            wanted.add(name)
            for ev in _evidence(stored, index, name):
                edges = tidy(text, ev.start, ev.end)
                if edges is not None:
                    claims.setdefault(edges, name)
    spans = _without_overlaps([Span(start=s, end=e, label=label, text=text[s:e])
                               for (s, e), label in sorted(claims.items())])
    complete = wanted <= {s.label for s in spans}
    return AnnotatedEmail(
        id=f"review-{stored.item.id}", text=text, received_at=result.received_at,
        language=result.language if result.language in _LANGUAGES else None,  # type: ignore[arg-type]
        origin="review", spans=spans, form=form,
        meta={"item_id": stored.item.id, "external_id": stored.item.external_id,
              "reviewed_by": stored.item.reviewed_by, "version": stored.item.version,
              "reviewed_at": stored.item.reviewed_at.isoformat()
              if stored.item.reviewed_at else None,
              "suggested_intent": result.intent, "spans_complete": complete,
              "evidence": "model" if stored.evidence is None else "reviewer"},
    )


def trainable(items: Iterable[StoredItem]) -> Iterator[AnnotatedEmail]:
    """The annotation of each item that passes `annotations.validate.check_email` and has
    every value located (`unlocated`); an item that does not is left out with a warning on
    the `stayform.export` log."""
    for stored in items:
        ann = to_annotation(stored)
        errors = [f"{p.code} {p.message}" for p in check_email(ann) if p.is_error]
        errors += [f"{where} is located nowhere in the text" for where in unlocated(ann)]
        if errors:
            log.warning("export: item %s left out of the annotations: %s", stored.item.id,
                        "; ".join(errors))
            continue
        yield ann


def unlocated(ann: AnnotatedEmail) -> list[str]:
    """The values (`stays[i].field`) with neither a span nor an implied mark.

    Stricter than E106, which lets a check-out or nights go without a span when the other two
    of the date triple are there: here they must be located themselves (a span, or implied),
    except nights computed from two located dates and a check-out from a located check-in
    and nights the email writes. A check-out the reviewer typed, beside nights computed from
    it, would otherwise pass with no words behind either."""
    labels = {s.label for s in ann.spans}
    out: list[str] = []
    for index, stay in enumerate(ann.form.stays):
        def located(name: str, stay: StayValues = stay) -> bool:
            return name in labels or name in stay.implied
        for name in FIELDS:
            if getattr(stay, name) in (None, []) or located(name):
                continue
            if name == "nights" and located("check_in") and located("check_out"):
                continue
            if name == "check_out" and located("check_in") and "nights" in labels:
                continue
            out.append(f"stays[{index}].{name}")
    return out


def _evidence(stored: StoredItem, index: int, name: str) -> list[Evidence]:
    """The evidence of the answer's field `name` in stay `index`: the reviewer's where the
    answer came with it, else the model's for a kept value, else where the text writes a
    typed name or place as the page would find it (`human_evidence.locate`)."""
    if stored.evidence is not None:
        return stored.evidence[index].get(name, []) if index < len(stored.evidence) else []
    answer = stored.answer
    if answer is None or index >= len(answer.stays):
        return []
    value = getattr(answer.stays[index], name)
    if index < len(stored.result.stays):
        field = stored.result.stays[index].field(name)
        if field.value == value and field.evidence:
            return list(field.evidence)
    return locate(name, value, stored.result.text)


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
