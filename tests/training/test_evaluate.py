"""Value-level scoring of results against annotations, computed by hand."""

import datetime as dt

from annotations.schema import AnnotatedEmail
from extractor.form import ExtractionResult, FormValues, Stay, StayValues
from training.evaluate import align_stays, evaluate_results, judge, same_value


def gold(stays, intent="new_booking", origin="handwritten"):
    return AnnotatedEmail(id="g", text="t", origin=origin,
                          form=FormValues(intent=intent, stays=stays))


def predicted(stays, intent="new_booking", status="needs_review"):
    return ExtractionResult(
        id="g", status=status, intent=intent, text="t",
        stays=[Stay.from_values(s, source="model") for s in stays])


def test_right_wrong_missing_and_extra_values():
    g = gold([StayValues(destination="Munich", check_in=dt.date(2026, 5, 3), rooms=2)])
    p = predicted([StayValues(destination="munich", check_in=dt.date(2026, 5, 4),
                              near="Messe")])
    counts, _ = judge(p, g)
    assert (counts["destination"].tp, counts["destination"].fp, counts["destination"].fn) == (1, 0, 0)
    assert (counts["check_in"].tp, counts["check_in"].fp, counts["check_in"].fn) == (0, 1, 1)
    assert (counts["rooms"].tp, counts["rooms"].fp, counts["rooms"].fn) == (0, 0, 1)
    assert (counts["near"].tp, counts["near"].fp, counts["near"].fn) == (0, 1, 0)


def test_stays_are_aligned_by_content_not_order():
    g = [StayValues(destination="Munich"), StayValues(destination="Berlin")]
    p = [StayValues(destination="Berlin"), StayValues(destination="Munich")]
    assert sorted(align_stays(p, g)) == [(0, 1), (1, 0)]


def test_extra_predicted_stay_counts_false_positives():
    g = gold([], intent="not_hotel")
    p = predicted([StayValues(destination="Paris", nights=2)])
    counts, outcomes = judge(p, g)
    assert counts["destination"].fp == 1 and counts["nights"].fp == 1
    assert sum(o.kind != "absent" for o in outcomes) == 2


def test_report_by_origin_micro_and_auto_accept():
    g1 = gold([StayValues(destination="Munich", nights=2)])
    g2 = gold([StayValues(destination="Rome")], origin="generated")
    p1 = predicted([StayValues(destination="Munich", nights=2)], status="auto_accepted")
    p2 = predicted([StayValues(destination="Milan")], intent="modification")
    reports = evaluate_results([p1, p2], [g1, g2])
    hand, gen, all_ = reports["handwritten"], reports["generated"], reports["all"]
    assert hand.micro().f1 == 1.0
    assert (gen.micro().tp, gen.micro().fp, gen.micro().fn) == (0, 1, 1)
    assert all_.micro().tp == 2 and all_.micro().fp == 1 and all_.micro().fn == 1
    d = all_.as_dict()
    assert d["intent_accuracy"] == 0.5
    assert d["auto_accepted_share"] == 0.5
    assert d["auto_accepted_field_precision"] == 1.0


def test_same_value_forgives_case_not_content():
    assert same_value(" Munich", "munich")
    assert not same_value("Munich", "Münster")
    assert same_value(["Anna"], ["anna"])
    assert not same_value(None, "x")


def test_confusion_counts_a_gold_span_by_content_not_by_set_order():
    from training.evaluate import _confused_with

    shared = [(10, 17, "check_out"), (10, 17, "check_in")]  # "3-5 May": one range, two fields
    assert _confused_with("check_in", 10, 17, shared) == "check_in"
    assert _confused_with("check_in", 10, 17, shared[::-1]) == "check_in"
    wrong = [(0, 12, "near"), (11, 17, "hotel_name")]  # overlaps 2 and 6 characters
    assert _confused_with("destination", 10, 17, wrong) == "hotel_name"
    assert _confused_with("destination", 10, 17, wrong[::-1]) == "hotel_name"
    assert _confused_with("destination", 10, 17, []) == "O"


def test_children_and_implied_values_count_like_any_value():
    # gold: "a double for my husband and me and our son", signed: guests 2 and the writer
    # implied, children 1 written; the prediction finds guests, misses the name and the child
    g = gold([StayValues(destination="Rome", guests=2, children=1, traveler_names=["Eva Roth"],
                         rooms=1, implied=["rooms", "guests", "traveler_names"])])
    p = predicted([StayValues(destination="Rome", guests=2, rooms=1)])
    counts, _ = judge(p, g)
    assert (counts["children"].tp, counts["children"].fn) == (0, 1)
    assert (counts["implied"].tp, counts["implied"].fn) == (2, 1)
    report = evaluate_results([p], [g])["all"]
    d = report.as_dict()
    assert d["implied"] == {"found": 2, "total": 3, "recall": round(2 / 3, 4)}
    assert d["fields"]["children"]["accuracy"] == 0.0
    assert d["fields"]["near"]["accuracy"] == 1.0  # null where null is right
    # the twelve span fields alone, as reported before children existed
    assert d["micro_span_fields"]["fn"] == 1 and d["micro"]["fn"] == 2
    from training.evaluate import format_table
    table = format_table("all", report)
    assert any(line.startswith("children") for line in table.splitlines())
    assert "implied values found 2 of 3" in table
