"""How `stayform batch`'s worker processes start: forked from a server process that imported
what they need once, started early so that its imports run beside the caller's own.

Kept apart from `extractor.batch`, which imports the whole extractor (torch and spaCy): the
command line starts the server before it imports that."""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.context import BaseContext
from pathlib import Path

from extractor.model import load_modules


def worker_context(model_dir: Path | None = None) -> BaseContext:
    """How worker processes start: forked from a server process that has imported the
    extractor's modules, and those loading `model_dir` needs (`extractor.model.load_modules`),
    and run nothing (`forkserver`), where the platform has one, else spawned. Never forked
    from the caller: a child forked from a process whose torch threads have run can hang in
    its first matrix product (the caller may have extracted before). The server imports once
    what spawned workers each imported again (a two-worker start on two cores took about 3 s
    instead of 7 s: BENCHMARKS.md, nineteenth session); with the model's modules too, a warm
    40-email run took 1.3 s instead of 3.3-3.6 s (twenty-first session).
    The server is started once per process: what it imports is decided by the first call that
    starts it (`start_worker_server`, or a pool's first worker)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    modules = ["extractor.batch"]
    if model_dir is not None:
        from stayform.settings import get_settings

        modules += load_modules(model_dir, get_settings().runtime)
    ctx.set_forkserver_preload(modules)
    return ctx


def start_worker_server(model_dir: Path) -> None:
    """Start the server the workers fork from now, so that its imports run beside the
    caller's own start (`stayform batch` loads the model once to fail fast) instead of after
    it. Does nothing where workers are spawned or the server runs already."""
    if worker_context(model_dir).get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
