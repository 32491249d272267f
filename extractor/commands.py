"""Command-line handlers of `stayform extract` and `stayform batch`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from extractor.charsets import decode_bytes
from extractor.form import ExtractionResult
from stayform.cli import UserError
from stayform.paths import resolve_model_dir
from stayform.settings import get_settings

EMAIL_SUFFIXES = (".eml", ".msg", ".email")


def parse_received_at(value: str | None) -> dt.datetime | None:
    """An ISO date-time (or date) from the command line; naive values are taken as UTC."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise UserError(f"--received-at {value!r} is not an ISO date-time") from e
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _model_dir(args: argparse.Namespace) -> Path:
    """--model, else STAYFORM_MODEL_DIR, else the first default place that has a model
    (stayform/paths.py: the working directory, the last trained, the per-user folder)."""
    return resolve_model_dir(getattr(args, "model", None), get_settings())


def load_extractor(model_dir: Path):  # noqa: ANN201 - imports torch lazily
    from extractor.pipeline import Extractor, ModelLoadError

    settings = get_settings()
    try:
        return Extractor.load(model_dir, review_threshold=settings.review_threshold,
                              max_email_bytes=settings.max_email_bytes)
    except ModelLoadError as e:
        raise UserError(str(e)) from e


def check_model(model_dir: Path) -> None:
    """What loading `model_dir` would refuse, from its files alone (`Extractor.check`)."""
    from extractor.pipeline import Extractor, ModelLoadError

    try:
        Extractor.check(model_dir)
    except ModelLoadError as e:
        raise UserError(str(e)) from e


def run_extract(args: argparse.Namespace) -> int:
    """`stayform extract FILE | --text TEXT`: one result JSON on stdout."""
    received_at = parse_received_at(args.received_at)
    model_dir: Path | None = None  # resolved where the model is first needed
    if get_settings().runtime == "onnx-int8":  # one email, one process: no torch to wait for
        from extractor.onnx_runtime import keep_torch_out

        model_dir = _model_dir(args)
        keep_torch_out(model_dir)
    if args.text is not None:
        extractor = load_extractor(model_dir or _model_dir(args))
        result = extractor.extract_text(args.text, received_at=received_at)
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UserError(f"{path}: no such file")
        size = path.stat().st_size
        limit = get_settings().max_email_bytes
        if size > limit:
            raise UserError(f"{path}: {size} bytes is over the {limit}-byte limit")
        raw = path.read_bytes()
        if not raw.strip():
            raise UserError(f"{path}: the file is empty")
        extractor = load_extractor(model_dir or _model_dir(args))
        result = None
        if path.suffix.lower() != ".txt":
            result = extractor.extract_email(raw, received_at=received_at)
            if (result.error is not None and result.error.code == "not_email"
                    and path.suffix.lower() not in EMAIL_SUFFIXES):
                result = None  # a text file by another name: read it as text
        if result is None:
            text = decode_bytes(raw.removeprefix(b"\xef\xbb\xbf"), None).text
            result = extractor.extract_text(text, received_at=received_at)
    print(result.model_dump_json(indent=2))
    if result.status == "error" and result.error is not None:
        print(f"stayform: error: {result.error.code}: {result.error.message}", file=sys.stderr)
        return 1
    return 0


class ResultQueue(Protocol):
    """Where `--queue` stores each result (the review queue: the command line passes one in,
    the extractor does not know the API)."""

    created: int  # results stored as new items

    def add(self, result: ExtractionResult) -> ExtractionResult:
        """Store `result`; returns what to write to OUT: `result`, or an error record when
        this one result could not be stored (the batch goes on)."""
        ...

    def close(self) -> None: ...


def run_batch(args: argparse.Namespace, *,
              open_queue: Callable[[], ResultQueue] | None = None) -> int:
    """`stayform batch INPUT --out OUT.jsonl [--queue] [--workers N] [--engine local|ray]
    [--address ADDR]`.

    With `--queue`, `open_queue()` gives the queue each result is also stored in; it is
    called once the input and the model have been checked, and closed when the batch ends.
    """
    from tqdm import tqdm

    from extractor.workers import start_worker_server

    input_path = Path(args.input)
    if not input_path.exists():
        raise UserError(f"{input_path}: no such file or folder")
    out = Path(args.out)
    if out.is_dir():
        raise UserError(f"--out {out}: is a folder; give the JSONL file to write")
    engine = getattr(args, "engine", "local")
    engine_errors: tuple[type[Exception], ...] = ()
    if engine != "ray" and getattr(args, "address", None):
        raise UserError("--address is for --engine ray")
    if engine == "ray":
        if args.workers is not None:
            raise UserError("--workers is for the local engine: Ray sizes its pool from the "
                            "cluster")
        from extractor.ray_engine import RayUnavailable, import_ray

        try:
            import_ray(local=not args.address)
        except RayUnavailable as e:
            raise UserError(str(e)) from e
        engine_errors = (RayUnavailable,)
    if args.workers is not None and args.workers < 1:
        raise UserError("--workers must be at least 1")
    model_dir = _model_dir(args)
    if engine == "local" and (args.workers or os.cpu_count() or 1) > 1:
        # the workers' server imports beside this process's imports and model load below
        # (on a GPU, where one worker is the default, it goes unused: a spare core's imports)
        start_worker_server(model_dir)
    from extractor.batch import default_workers
    from extractor.batch import run_batch as batch
    from extractor.inputs import InputError
    from extractor.model import ModelLoadError

    if engine == "ray":
        load_extractor(model_dir)  # fail fast, with a clear message, before the actors start
    else:  # the same from the files' headers; the workers load the network (2 s saved)
        check_model(model_dir)
    workers = default_workers() if args.workers is None else args.workers
    if workers > 1:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    on_result = None
    queue = None
    if args.queue:
        if open_queue is None:
            raise UserError("--queue: no review queue to store the results in")
        queue = open_queue()
        on_result = queue.add
    bar = tqdm(unit="msg", desc="batch", disable=args.no_progress or None, file=sys.stderr,
               dynamic_ncols=True)
    try:
        if engine == "ray":
            from extractor.ray_engine import run_ray_batch

            summary = run_ray_batch(input_path, out, model_dir=model_dir, address=args.address,
                                    batch_size=args.batch_size,
                                    threshold=get_settings().review_threshold,
                                    max_email_bytes=get_settings().max_email_bytes,
                                    on_result=on_result, progress=bar.update)
        else:
            summary = batch(input_path, out, model_dir=model_dir, workers=workers,
                            batch_size=args.batch_size,
                            threshold=get_settings().review_threshold,
                            max_email_bytes=get_settings().max_email_bytes,
                            on_result=on_result, progress=bar.update)
    except InputError as e:
        raise UserError(f"{input_path}: {e}") from e
    except ModelLoadError as e:  # weights corrupt past their header, met by a worker
        raise UserError(str(e)) from e
    except engine_errors as e:  # Ray's engine: no cluster at --address
        raise UserError(str(e)) from e
    except OSError as e:  # OUT (or INPUT) not writable, not a file, a full disk ...
        raise UserError(f"{e.filename or out}: {e.strerror or e}") from e
    finally:
        bar.close()
        if queue is not None:
            queue.close()
    if queue is not None:
        summary.queued = queue.created
    print("\n".join(summary.lines()))
    return 0
