"""The one list of fields feeds the form, the annotation labels and the model's tags."""

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor.form import FIELDS, STAY_FIELDS, ExtractionResult, Price, Stay, StayValues
from extractor.tags import BIO_TAGS, INTENT_TAGS, LABELS

ROOT = Path(__file__).resolve().parents[2]


def test_stay_has_exactly_the_fields():
    assert tuple(Stay.model_fields) == STAY_FIELDS == (*FIELDS, "children")
    assert tuple(StayValues.model_fields) == (*STAY_FIELDS, "implied")


def test_tags_cover_every_field_once():
    assert BIO_TAGS[0] == "O"
    assert {t[2:] for t in BIO_TAGS[1:]} == set(FIELDS)
    assert len(LABELS) == len(set(LABELS)) == 1 + 2 * len(FIELDS) + len(INTENT_TAGS)


def test_guideline_names_every_label():
    guideline = (ROOT / "docs" / "ANNOTATION.md").read_text(encoding="utf-8")
    for field in FIELDS:
        assert f"`{field}`" in guideline, field


def test_result_rejects_evidence_outside_text():
    stay = Stay.model_validate({"destination": {"value": "Munich", "confidence": 0.9,
                                                "evidence": [{"start": 0, "end": 50}]}})
    with pytest.raises(ValidationError):
        ExtractionResult(id="x", status="auto_accepted", text="short", stays=[stay])


def test_every_stay_serializes_all_thirteen_keys():
    result = ExtractionResult(id="x", status="needs_review", text="t", stays=[Stay()])
    data = json.loads(result.model_dump_json())
    assert list(data["stays"][0]) == list(STAY_FIELDS)
    assert all(data["stays"][0][f]["value"] is None for f in FIELDS)


def test_price_whole_amount_serializes_as_int():
    assert json.loads(Price(amount=150, currency="EUR").model_dump_json())["amount"] == 150
    assert json.loads(Price(amount=149.5, currency="EUR").model_dump_json())["amount"] == 149.5


def test_check_out_before_check_in_is_invalid():
    with pytest.raises(ValidationError):
        StayValues(check_in=dt.date(2026, 5, 5), check_out=dt.date(2026, 5, 3))


def test_exported_result_schema_is_current():
    from extractor.schema import SCHEMA_FILE, result_schema

    assert SCHEMA_FILE.read_text(encoding="utf-8") == result_schema(), (
        "run `python -m extractor.schema` to refresh docs/result.schema.json")


def test_sample_results_validate_against_the_json_schema(tiny_model_dir):
    import jsonschema

    from extractor.pipeline import Extractor
    from extractor.schema import result_schema

    schema = json.loads(result_schema())
    extractor = Extractor.load(tiny_model_dir)
    for path in sorted((ROOT / "data" / "samples" / "eml").glob("*.eml")):
        result = json.loads(extractor.extract_email(path.read_bytes()).model_dump_json())
        jsonschema.validate(result, schema)
