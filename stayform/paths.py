"""Where the model folder is, from any working directory.

`models/default` is where `make run` trains, relative to the checkout; a `stayform extract`
run elsewhere must still find it. In order, the first that applies:
1. `--model DIR`, or the `STAYFORM_MODEL_DIR` setting when it is set;
2. `./models/default`, when the working directory has one;
3. the folder the last `stayform train` wrote, remembered in the per-user config file
   (`platformdirs.user_config_dir("stayform")/model-path`; `make run` trains through it);
4. `models/default` in the per-user data folder (`platformdirs.user_data_dir("stayform")`).
When none exists the error lists each place looked in.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from stayform.cli import UserError

if TYPE_CHECKING:
    from stayform.settings import Settings

APP = "stayform"
DEFAULT_MODEL_DIR = Path("models/default")
REMEMBERED_FILE = "model-path"


class ModelNotFound(UserError):
    """No model folder in any of the places a default one may be."""


def remembered_file() -> Path:
    """The per-user file holding the path of the last trained model folder."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP)) / REMEMBERED_FILE


def user_model_dir() -> Path:
    """`models/default` in the per-user data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP)) / DEFAULT_MODEL_DIR


def remember_model_dir(model_dir: str | Path) -> Path:
    """Remember `model_dir` (made absolute) as the model to find from anywhere; returns the
    file written. Written to a temporary file and renamed, so a reader never sees half."""
    target = remembered_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".model-path-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(str(Path(model_dir).resolve()) + "\n")
    os.replace(tmp, target)
    return target


def remembered_model_dir() -> Path | None:
    """The remembered model folder, or None when nothing (readable) is remembered."""
    try:
        line = remembered_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(line) if line else None


def default_places() -> list[tuple[str, Path]]:
    """(what, path) of each place a default model folder may be, in the order tried."""
    places = [("the working directory", Path.cwd() / DEFAULT_MODEL_DIR)]
    remembered = remembered_model_dir()
    if remembered is not None:
        places.append((f"the last trained model ({remembered_file()})", remembered))
    places.append(("the per-user data folder", user_model_dir()))
    return places


def default_model_dir() -> Path:
    """The first existing default model folder; `models/default` when there is none (the
    settings' default: loading it then fails, and `resolve_model_dir` explains)."""
    for _, path in default_places():
        if path.is_dir():
            return path
    return DEFAULT_MODEL_DIR


def resolve_model_dir(explicit: str | Path | None = None, settings: Settings | None = None
                      ) -> Path:
    """The model folder to load: `explicit` (--model), else STAYFORM_MODEL_DIR when set, else
    the first default place that exists (raises ModelNotFound listing them when none does)."""
    if explicit:
        return Path(explicit)
    if settings is None:
        from stayform.settings import get_settings

        settings = get_settings()
    if "model_dir" in settings.model_fields_set:
        return settings.model_dir
    places = default_places()
    for _, path in places:
        if path.is_dir():
            return path
    looked = "; ".join(f"{path} ({what})" for what, path in places)
    if remembered_model_dir() is None:
        looked += f"; no trained model remembered in {remembered_file()}"
    raise ModelNotFound(
        f"no model folder found; looked in: {looked}. Train one with `stayform train` "
        "(or `make run`), or name one with --model or STAYFORM_MODEL_DIR")
