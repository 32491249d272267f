"""The result JSON's JSON Schema, exported from the pydantic model.

`python -m extractor.schema` rewrites docs/result.schema.json; a test fails when the file and
the model drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractor.form import ExtractionResult

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "result.schema.json"


def result_schema() -> str:
    """The JSON Schema of one result line, as stable text."""
    return json.dumps(ExtractionResult.model_json_schema(mode="serialization"), indent=2,
                      sort_keys=True) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE
    target.write_text(result_schema(), encoding="utf-8")
    print(f"wrote {target}")
