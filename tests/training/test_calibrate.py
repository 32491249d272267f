"""Temperature, isotonic maps and the threshold choice, on constructed data."""

import numpy as np

from extractor.confidence import Calibration
from training.calibrate import (
    FIELD_MIN_SAMPLES,
    accepted_at,
    choose_threshold,
    fit_maps,
    fit_temperature,
    isotonic,
)
from training.evaluate import Outcome, expected_calibration_error


def test_isotonic_is_monotone_and_pools_violators():
    x, y = isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])
    assert y == sorted(y)
    assert y == [0.0, 0.5, 1.0]
    assert x == [0.1, 0.25, 0.4]


def test_a_score_many_outcomes_share_maps_to_their_mean_rate():
    # an implied value's fixed score: one point, not three rates at the same score
    assert isotonic([0.9, 0.9, 0.9, 0.5], [0, 1, 1, 0]) == ([0.5, 0.9], [0.0, 2 / 3])


def test_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 2000)
    logits = rng.normal(size=(2000, 3))
    noisy = np.where(rng.random(2000) < 0.6, gold, rng.integers(0, 3, 2000))
    logits[np.arange(2000), noisy] += 3.0
    overconfident = logits * 4
    assert fit_temperature([overconfident], [gold]) > 2.0


def test_fitted_maps_reduce_calibration_error():
    rng = np.random.default_rng(1)
    raw = rng.random(3000)
    correct = rng.random(3000) < raw ** 3  # raw scores are far too confident
    outs = [Outcome("destination", float(c), "model", bool(k)) for c, k in zip(raw, correct, strict=True)]
    maps = fit_maps(outs)
    fitted = [Outcome(o.field, float(np.interp(o.confidence, *maps["model"])), o.kind, o.correct)
              for o in outs]
    assert expected_calibration_error(fitted) < 0.03 < expected_calibration_error(outs)


def test_a_field_seen_often_gets_its_own_map_beside_its_kinds():
    places = [Outcome("near", 0.95, "model", k % 2 == 0) for k in range(FIELD_MIN_SAMPLES)]
    budgets = [Outcome("max_price", 0.95, "model", True) for _ in range(FIELD_MIN_SAMPLES)]
    dates = [Outcome("check_in", 0.95, "model", True) for _ in range(10)]
    maps = fit_maps(places + budgets + dates)
    assert maps["model:near"][1] == [0.5] and maps["model:max_price"][1] == [1.0]
    assert "model:check_in" not in maps  # too few: the kind's map serves
    cal = Calibration(maps=maps)
    assert cal.apply(0.95, "model", "check_in") == cal.apply(0.95, "model")


def test_thin_kinds_get_a_constant_rate():
    maps = fit_maps([Outcome("nights", 0.9, "rules", True)] * 3)
    assert maps["rules"] == ([0.0, 1.0], [0.8, 0.8])


def test_threshold_keeps_accepted_precision():
    good = [Outcome("destination", 0.95, "model", True)]
    bad = [Outcome("destination", 0.7, "model", False)]
    assert choose_threshold([good] * 50 + [bad] * 10, target=0.97) == 0.71


def test_threshold_judges_whole_emails_not_fields():
    # ten right fields and one wrong empty one: 91% of the fields right, the email wrong
    right = [Outcome("destination", 0.95, "model", True)] * 10
    half_right = right + [Outcome("traveler_names", 0.9, "absent", False)]
    emails = [right] * 40 + [half_right] * 20
    # at 0.90 a third of the accepted emails hold a wrong (missing) value: not enough
    assert choose_threshold(emails, target=0.95) == 0.91


def test_an_email_sent_to_review_anyway_is_not_counted_as_accepted():
    right = [Outcome("destination", 0.95, "model", True)]
    wrong = [Outcome("destination", 0.95, "model", False)]
    emails = [right] * 30 + [wrong] * 5
    # the five wrong forms lack a value a clerk needs: they go to review at any threshold
    blocked = [False] * 30 + [True] * 5
    assert choose_threshold(emails, target=0.97) == 0.99  # counted, they would sink it
    assert choose_threshold(emails, target=0.97, blocked=blocked) == 0.5
    assert len(accepted_at(emails, 0.5, blocked)) == 30
