"""The int8 ONNX runtime (issue 19): the export gives the PyTorch model's logits, int8 keeps
its decisions, STAYFORM_RUNTIME switches the runtime, and a loss over 0.5 points (or a stale or
missing file) falls back to PyTorch with a log line."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from extractor import onnx_runtime
from extractor.encoding import encode
from extractor.fast_tokenizer import FastTokenizer
from extractor.model import TokenTagger
from extractor.onnx_runtime import INT8_FILE, REPORT_FILE, OnnxTokenClassifier
from stayform.settings import get_settings

TEXTS = ["Hotel in Rome", "Wir brauchen 2 DZ in München vom 3. bis 5. Mai, max. 150 € p.N.",
         "two rooms in Paris from 3 to 5 May for Anna Schmidt " * 12, "ok", "Zürich ☺ 12.–14.6."]
ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "data" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def quantized(tmp_path_factory: pytest.TempPathFactory, booking_model_dir: Path) -> Path:
    """A copy of the booking model with model.int8.onnx and its report, made by the real
    `quantize_model` on a few dev emails."""
    from training.quantize import quantize_model

    tmp = tmp_path_factory.mktemp("quantized")
    model_dir = Path(shutil.copytree(booking_model_dir, tmp / "model"))
    dev = tmp / "dev.jsonl"
    dev.write_text("".join(DEV.read_text(encoding="utf-8").splitlines(True)[:4]),
                   encoding="utf-8")
    quantize_model(model_dir, dev_files=[dev])
    return model_dir


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    """A folder holding the tiny model's fp32 ONNX export and its int8 quantization."""
    from training.quantize import export_onnx, quantize_int8

    out = tmp_path_factory.mktemp("exported")
    export_onnx(tiny_model_dir, out / "fp32.onnx")
    quantize_int8(out / "fp32.onnx", out / INT8_FILE)
    return out


@pytest.fixture
def runtime_setting(monkeypatch: pytest.MonkeyPatch):
    """Set STAYFORM_RUNTIME for one test (the settings are read once per process)."""
    def set_runtime(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("STAYFORM_RUNTIME", raising=False)
        else:
            monkeypatch.setenv("STAYFORM_RUNTIME", value)
        get_settings.cache_clear()

    yield set_runtime
    get_settings.cache_clear()


@pytest.fixture
def model_log(caplog: pytest.LogCaptureFixture):
    """The records of the `stayform.model` logger (which may not propagate to the root)."""
    logger = logging.getLogger("stayform.model")
    logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.INFO)
    yield caplog
    logger.removeHandler(caplog.handler)


def _padded_batch(tagger: TokenTagger) -> tuple[np.ndarray, np.ndarray]:
    rows = [[tagger.cls_id, *encode(tagger.tokenizer, t).input_ids[:60], tagger.sep_id]
            for t in TEXTS]
    width = max(map(len, rows))
    ids = np.full((len(rows), width), tagger.pad_id, dtype=np.int64)
    mask = np.zeros_like(ids)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = row
        mask[r, : len(row)] = 1
    return ids, mask


def test_the_fp32_export_gives_the_pytorch_logits_on_padded_batches(tiny_model_dir, exported):
    tagger = TokenTagger.load(tiny_model_dir, runtime="torch")
    onnx = OnnxTokenClassifier(exported / "fp32.onnx", id2label=onnx_runtime.id2label(
        tiny_model_dir))
    ids, mask = _padded_batch(tagger)
    expected = tagger._forward(ids, mask)
    got = onnx(ids, mask)
    assert got.shape == expected.shape
    real = mask.astype(bool)  # padded positions are never read
    np.testing.assert_allclose(got[real], expected[real], atol=1e-4)
    # one short row alone: batch and length are not fixed by the export's example
    np.testing.assert_allclose(onnx(ids[3:4, :3], mask[3:4, :3]), expected[3:4, :3],
                               atol=1e-4)


def test_int8_keeps_the_argmax_of_most_tokens(tiny_model_dir, exported):
    torch_tagger = TokenTagger.load(tiny_model_dir, runtime="torch")
    int8 = TokenTagger(OnnxTokenClassifier(exported / INT8_FILE,
                                           id2label=onnx_runtime.id2label(tiny_model_dir)),
                       FastTokenizer.load(tiny_model_dir))
    words_t, intents_t = torch_tagger.logits(TEXTS, batch_size=8)
    words_q, intents_q = int8.logits(TEXTS, batch_size=8)
    same = np.concatenate([a.argmax(-1) == b.argmax(-1) for a, b in zip(words_t, words_q,
                                                                         strict=True)])
    assert same.mean() >= 0.9, f"argmax kept on {same.mean():.0%} of words"
    assert [w.shape for w in words_q] == [w.shape for w in words_t]
    assert [c.shape for c in intents_q] == [c.shape for c in intents_t]


def test_the_tokenizer_without_transformers_encodes_as_transformers_does(tiny_model_dir):
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)
    fast = FastTokenizer.load(tiny_model_dir)
    corpus = [json.loads(line)["text"]
              for line in DEV.read_text(encoding="utf-8").splitlines()[:200]]
    for text in [*TEXTS, *corpus]:
        assert encode(fast, text) == encode(reference, text)
    assert (fast.cls_token_id, fast.sep_token_id, fast.pad_token_id) == (
        reference.cls_token_id, reference.sep_token_id, reference.pad_token_id)


def test_quantize_records_the_loss_and_the_weights_it_read(quantized):
    report = json.loads((quantized / REPORT_FILE).read_text(encoding="utf-8"))
    assert report["dev_emails"] == 4
    f1 = report["dev_micro_f1"]
    assert report["loss_points"] == pytest.approx(100 * (f1["torch"]["all"]
                                                         - f1["onnx-int8"]["all"]), abs=1e-3)
    assert report["usable"] is (report["loss_points"] <= 0.5)
    assert report["weights"]["sha256"] == onnx_runtime.weights_fingerprint(quantized)["sha256"]
    assert not list(quantized.glob(".onnx-*")), "the temporary export was left behind"


def test_the_setting_switches_the_runtime(quantized, runtime_setting):
    runtime_setting(None)
    assert TokenTagger.load(quantized).runtime == "torch"
    runtime_setting("onnx-int8")
    tagger = TokenTagger.load(quantized)
    assert tagger.runtime == "onnx-int8"
    assert isinstance(tagger.model, OnnxTokenClassifier)


def test_both_runtimes_give_the_same_result_json(quantized, runtime_setting):
    from extractor.pipeline import Extractor

    text = "Bitte 1 EZ in Hamburg vom 3. bis 5. Mai 2026 für Anna Schmidt, max. 120 EUR."
    runtime_setting("torch")
    by_torch = Extractor.load(quantized).extract_text(text)
    runtime_setting("onnx-int8")
    int8 = Extractor.load(quantized)
    assert int8.tagger.runtime == "onnx-int8"
    by_int8 = int8.extract_text(text)
    assert by_int8.model_dump(exclude={"stays"}) == by_torch.model_dump(exclude={"stays"})
    assert [{f: v["value"] for f, v in s.items()} for s in by_int8.model_dump()["stays"]] == [
        {f: v["value"] for f, v in s.items()} for s in by_torch.model_dump()["stays"]]


def _edit_report(model_dir: Path, **changes: object) -> None:
    path = model_dir / REPORT_FILE
    report = json.loads(path.read_text(encoding="utf-8"))
    report.update(changes)
    path.write_text(json.dumps(report), encoding="utf-8")


@pytest.mark.parametrize(("change", "said"), [
    ({"loss_points": 0.9}, "loses 0.90 points of dev micro F1, over the 0.5 limit"),
    ({"loss_points": None}, "records no dev F1 loss"),
    ({"weights": {"size": -1}}, "made from other weights"),
])
def test_a_refused_int8_model_falls_back_to_pytorch_with_a_log_line(
        quantized, tmp_path, runtime_setting, model_log, change, said):
    model_dir = Path(shutil.copytree(quantized, tmp_path / "model"))
    _edit_report(model_dir, **change)
    runtime_setting("onnx-int8")
    tagger = TokenTagger.load(model_dir)
    assert tagger.runtime == "torch"
    lines = [r.getMessage() for r in model_log.records if r.name == "stayform.model"]
    assert any("onnx-int8 not used" in line and said in line for line in lines), lines


def test_a_copied_folder_with_the_same_weights_keeps_int8(quantized, tmp_path,
                                                          runtime_setting):
    model_dir = tmp_path / "copy"
    shutil.copytree(quantized, model_dir, copy_function=shutil.copyfile)  # new times
    assert onnx_runtime.unusable_reason(model_dir) is None
    runtime_setting("onnx-int8")
    assert TokenTagger.load(model_dir).runtime == "onnx-int8"


def test_a_folder_without_int8_falls_back(tiny_model_dir, runtime_setting, model_log):
    runtime_setting("onnx-int8")
    assert TokenTagger.load(tiny_model_dir).runtime == "torch"
    assert any(f"has no {INT8_FILE}" in r.getMessage() for r in model_log.records)


def test_the_int8_runtime_runs_without_importing_torch_or_transformers(quantized):
    """Its own path (model, tokenizer, scoring) needs neither: they are most of a cold start.
    (Other modules of the extractor are not part of this check.)"""
    probe = (
        "import sys\n"
        "from extractor.model import TokenTagger\n"
        f"t = TokenTagger.load({str(quantized)!r}, runtime='onnx-int8')\n"
        "assert t.runtime == 'onnx-int8'\n"
        "t.score(['Hotel in Rom'])\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert out.strip() == "[]"


def test_extract_on_int8_reads_one_email_without_torch_or_scikit_learn(quantized, tmp_path):
    """`stayform extract` with the int8 runtime: the whole command (reading, rules, the lexical
    intent model) loads neither PyTorch (spaCy's thinc would) nor scikit-learn and SciPy, the
    slowest imports of a first result, and still gives a whole result."""
    mail = tmp_path / "mail.txt"
    mail.write_text("Please book me a single room in Munich from 3 to 5 May. Thanks, Anna Berg",
                    encoding="utf-8")
    probe = (
        "import sys\n"
        "from stayform.cli import main\n"
        f"code = main(['extract', {str(mail)!r}, '--model', {str(quantized)!r}])\n"
        "loaded = sorted(m for m in ('torch', 'transformers', 'sklearn', 'scipy')\n"
        "                if sys.modules.get(m) is not None)\n"
        "print(code, loaded, file=sys.stderr)\n")
    env = {**os.environ, "STAYFORM_RUNTIME": "onnx-int8"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True, env=env)
    assert done.stderr.strip().splitlines()[-1] == "0 []"
    result = json.loads(done.stdout)
    assert result["status"] in ("auto_accepted", "needs_review")
    assert result["sender"] is None and result["language"] == "en"


def test_torch_is_kept_out_only_where_int8_will_read(quantized, tiny_model_dir):
    assert "torch" in sys.modules  # this process built the test models with it
    assert onnx_runtime.keep_torch_out(quantized) is False
    assert sys.modules["torch"] is not None
    probe = ("import sys\nfrom pathlib import Path\nfrom extractor import onnx_runtime\n"
             "print(onnx_runtime.keep_torch_out(Path(sys.argv[1])))\n")
    for folder, kept_out in ((quantized, "True"), (tiny_model_dir, "False")):  # no int8 file
        out = subprocess.run([sys.executable, "-c", probe, str(folder)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120, check=True).stdout
        assert out.strip() == kept_out
