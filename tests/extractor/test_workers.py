"""How batch workers start: from a server that imported the extractor and the model's modules
once, and ran nothing; started early, beside the caller's own imports."""

import importlib.util
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from extractor.model import load_modules
from extractor.workers import worker_context

ROOT = Path(__file__).resolve().parents[2]


def test_workers_fork_from_a_server_that_ran_no_model():
    # never forked from the caller, whose torch threads may have run (a forked child can hang
    # in its first matrix product); the server imports the extractor once for all workers
    method = worker_context().get_start_method()
    assert method == ("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")


def test_torch_modules_name_the_folders_architecture(tiny_model_dir):
    modules = load_modules(tiny_model_dir, "torch")
    assert "transformers.models.bert.modeling_bert" in modules
    assert all(importlib.util.find_spec(m) is not None for m in modules)


def test_int8_without_its_file_loads_torchs_modules(tiny_model_dir):
    # the int8 runtime falls back to PyTorch when the folder has no int8 model: so do the imports
    assert not (tiny_model_dir / "model.int8.onnx").exists()
    assert load_modules(tiny_model_dir, "onnx-int8") == load_modules(tiny_model_dir, "torch")


def test_a_config_without_a_usable_model_type_names_no_architecture(tiny_model_dir, tmp_path):
    folder = tmp_path / "odd"
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    for model_type in ("../../os", None):
        config["model_type"] = model_type
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
        modules = load_modules(folder, "torch")
        assert not [m for m in modules if m.startswith("transformers.models.")
                    and not m.startswith("transformers.models.auto.")]
    (folder / "config.json").write_text("{not json", encoding="utf-8")
    assert load_modules(folder, "torch") == ["transformers.modeling_utils",
                                            "transformers.models.auto.modeling_auto",
                                            "transformers.models.auto.tokenization_auto"]


_PROBE = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractor.workers import start_worker_server, worker_context


def imported(name):
    return name in sys.modules


if __name__ == "__main__":
    model = Path(sys.argv[1])
    start_worker_server(model)
    assert "transformers" not in sys.modules, "the caller imported transformers"
    with ProcessPoolExecutor(1, mp_context=worker_context(model)) as pool:
        print(pool.submit(imported, "transformers.models.bert.modeling_bert").result())
"""


def test_a_worker_starts_with_the_models_modules_imported(tiny_model_dir, tmp_path):
    if "forkserver" not in mp.get_all_start_methods():
        assert worker_context(tiny_model_dir).get_start_method() == "spawn"
        return
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(probe), str(tiny_model_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "STAYFORM_RUNTIME": "torch"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
