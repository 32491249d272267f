"""After training: calibrate the saved model on dev and measure it on dev.

The test split is never read here (nor anywhere in `stayform train` or `tune`): it is scored by
`stayform evaluate` alone, so that no training or tuning choice is made by looking at it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from annotations.schema import AnnotatedEmail
from extractor.confidence import Calibration
from extractor.intent import LexicalIntent
from extractor.model import TokenTagger, softmax
from extractor.pipeline import Extractor, Prepared
from extractor.rules import RuleFinder
from training.calibrate import PRODUCTION_MIN, fit_on, fit_temperature
from training.config import TrainConfig
from training.data import gold_word_tags, load_emails
from training.evaluate import Outcome, align_stays, evaluate_results, judge
from training.forms import FormCase, Judged, judge_form_set, load_form_set
from training.intent import fit_lexical, fit_stack

log = logging.getLogger(__name__)


def prepared(emails: Sequence[AnnotatedEmail]) -> list[Prepared]:
    return [Prepared.of_text(e.id, e.text, e.received_at) for e in emails]


def fit_calibration(tagger: TokenTagger, dev: Sequence[AnnotatedEmail],
                    lexical: LexicalIntent | None = None, forms: Sequence[FormCase] = ()
                    ) -> tuple[Calibration, LexicalIntent | None, dict]:
    """Temperature on dev logits, the intent stacker on dev intents, isotonic maps on the
    field outcomes of the hand-written dev emails (all of dev when they are too few) and of
    the form sets' cases (`forms`), and the threshold on all of those emails; with what it
    measured there (`report`)."""
    # the temperature is fitted on the word tags; the intent gets its own isotonic map below
    word_logits, intent_logits = tagger.raw_logits([e.text for e in dev])
    temperature = fit_temperature(word_logits, gold_word_tags(tagger.tokenizer, dev))
    tagger.temperature = temperature
    if lexical is not None:
        # the transformer's intent as `tagger.score` gives it, from the logits already at hand
        model_probs = softmax(np.stack(intent_logits) / temperature).astype(np.float32)
        lexical = fit_stack(lexical, dev, model_probs)
    raw = Extractor(tagger, RuleFinder(), Calibration(temperature=temperature), threshold=0.0,
                    lexical_intent=lexical)
    production = [e for e in dev if e.origin != "generated"]
    emails = production if len(production) >= PRODUCTION_MIN else list(dev)
    judged = judge_annotated(raw, emails) + judge_form_set(raw, forms)
    cal, report = fit_on(judged, temperature)
    report = {"fitted_on": "hand-written dev" if emails is production else "dev",
              "emails": len(emails), "form_set_emails": len(forms), **report}
    return cal, lexical, report


def judge_annotated(raw: Extractor, emails: Sequence[AnnotatedEmail]) -> list[Judged]:
    """Each annotated email's outcomes under `raw` (an extractor that routes nothing for want
    of confidence: threshold 0, no maps), as `training.forms` judges a form set's cases."""
    out: list[Judged] = []
    for result, email in zip(raw.extract_prepared(prepared(emails)), emails, strict=True):
        _, outcomes = judge(result, email)
        outcomes.append(Outcome(str(result.intent), result.intent_confidence, "intent",
                                result.intent == email.form.intent))
        found = [s.values() for s in result.stays]
        missed = sum(i is None for i, _ in align_stays(found, email.form.stays))
        # a stay the email asks for and the form lacks: the email is wrong at any threshold
        outcomes.extend(Outcome("stays", 1.0, "stay_missed", False) for _ in range(missed))
        # at threshold 0 a reason is one no confidence lifts: missing, vague, unusual ...
        out.append(Judged(outcomes, bool(result.review_reasons)))
    return out


def _fit_lexical(cfg: TrainConfig) -> LexicalIntent | None:
    """The lexical intent model on the whole training split (it is cheap: seconds on a CPU)."""
    train = load_emails(cfg.train_files)
    try:
        return fit_lexical(train, handwritten_weight=float(cfg.handwritten_repeat))
    except ValueError as e:
        log.warning("no lexical intent model: %s", e)
        return None


def measure(model_dir: Path, emails: Sequence[AnnotatedEmail]) -> dict:
    """Evaluation reports (per origin and all) of the finished model folder on `emails`."""
    extractor = Extractor.load(model_dir)
    results = extractor.extract_prepared(prepared(emails))
    return {k: r.as_dict() for k, r in evaluate_results(results, emails).items()}


def finish_model_folder(out: Path, cfg: TrainConfig, dev: Sequence[AnnotatedEmail], *,
                        calibrate: bool = True) -> dict:
    """Write calibration.json (and the lexical intent model) into the model folder `out` and
    return the metrics of the calibrated model: {"calibration": ..., "dev": reports by origin}."""
    metrics: dict = {}
    if calibrate and dev:
        tagger = TokenTagger.load(out, max_length=cfg.max_length, stride=cfg.stride)
        lexical = _fit_lexical(cfg)
        forms = [case for path in cfg.calibration_forms for case in load_form_set(Path(path))]
        cal, lexical, report = fit_calibration(tagger, dev, lexical, forms)
        (out / "calibration.json").write_text(json.dumps(cal.to_json(), indent=2),
                                              encoding="utf-8")
        metrics["calibration"] = {"temperature": round(cal.temperature, 4), **report}
        if lexical is not None:
            lexical.save(out)
    if dev:
        metrics["dev"] = measure(out, dev)
    return metrics
