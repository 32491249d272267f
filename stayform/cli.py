"""The `stayform` command line (CONTRACT.md).

Each subcommand is handled by a `run(args) -> int` function in the package that owns it; the
handler is imported only when its subcommand runs, so `stayform --help` starts fast and
`stayform extract` does not import the API.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.batch_queue import QueueWriter


class UserError(Exception):
    """A problem with the user's input: printed as one line, exit status 1, no traceback."""


def _handler(dotted: str) -> Callable[[argparse.Namespace], int]:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="stayform", description="Hotel booking emails in, booking forms out.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("extract", help="extract the form from one email or text")
    src = s.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", help="an .eml or .txt file")
    src.add_argument("--text", help="the request as text")
    s.add_argument("--received-at", help="ISO date-time the dates are resolved against")
    s.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    s.set_defaults(handler="extractor.commands.run_extract")

    s = sub.add_parser("batch", help="extract every message of an mbox, a folder of .eml or a .jsonl")
    s.add_argument("input")
    s.add_argument("--out", required=True, help="JSONL output; re-running skips ids already in it")
    s.add_argument("--queue", action="store_true", help="also store each result in the review queue")
    s.add_argument("--workers", type=int, default=None, help="processes to use (default: one per core, at most 8; 1 on a GPU)")
    s.add_argument("--batch-size", type=int, default=32, help="texts per model forward pass")
    s.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local processes (default), or a Ray cluster (pip install 'stayform[ray]')")
    s.add_argument("--address", help="with --engine ray: the cluster to join (as 'ray start "
                                     "--head' printed it, or 'auto'); default: a local Ray")
    s.set_defaults(handler="stayform.cli.run_batch")

    s = sub.add_parser("train", help="fine-tune the token classifier")
    s.add_argument("--config", help="a training config file (JSON or TOML)")
    s.add_argument("--preset", choices=["quick", "full"], default=None)
    s.add_argument("--output", help="output folder (default: the config's)")
    s.add_argument("--include-reviewed", action="append", metavar="EXPORT.jsonl",
                   help="reviewed emails (GET /v1/export/annotations) to add to the training "
                        "emails only, repeated reviewed_repeat times; may be given again")
    s.set_defaults(handler="training.commands.run_train")

    s = sub.add_parser("calibrate", help="refit a model folder's confidences and review threshold "
                                         "on its dev split and hand-written form sets")
    s.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    s.add_argument("--forms", nargs="*", metavar="SET",
                   help="form sets (a folder of .eml or a .jsonl of texts, each with an "
                        "expected.jsonl) instead of the model config's calibration_forms")
    s.set_defaults(handler="training.commands.run_calibrate")

    s = sub.add_parser("evaluate", help="per-field precision, recall and F1 on a test split")
    s.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    s.add_argument("--data", help="annotated JSONL (default: the corpus' test split)")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.set_defaults(handler="training.commands.run_evaluate")

    s = sub.add_parser("quantize", help="export the model to int8 ONNX (model.int8.onnx) and "
                                        "measure its dev F1 loss; used with STAYFORM_RUNTIME=onnx-int8")
    s.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    s.add_argument("--data", help="annotated dev JSONL (default: data/corpus/dev.jsonl)")
    s.set_defaults(handler="training.quantize.run_quantize")

    s = sub.add_parser("tune", help="hyperparameter search with Optuna (Hyperband pruning)")
    s.add_argument("--config", help="base training config file")
    s.add_argument("--preset", choices=["quick", "full"], default="quick")
    s.add_argument("--trials", type=int, default=20)
    s.add_argument("--output", default="runs/tune")
    s.set_defaults(handler="training.commands.run_tune")

    s = sub.add_parser("annotations", help="validate and compare annotation files")
    asub = s.add_subparsers(dest="annotations_command", required=True, metavar="ACTION")
    a = asub.add_parser("validate", help="check annotation files; exit 1 on problems")
    a.add_argument("files", nargs="+")
    a.set_defaults(handler="annotations.commands.run_validate")
    a = asub.add_parser("agreement", help="per-label agreement of two annotators")
    a.add_argument("file_a")
    a.add_argument("file_b")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler="annotations.commands.run_agreement")
    a = asub.add_parser("suspicious", help="likely mislabelled examples first")
    a.add_argument("file")
    a.add_argument("--model", help="model folder (default: STAYFORM_MODEL_DIR)")
    a.add_argument("--top", type=int, default=30)
    a.add_argument("--folds", type=int, default=0,
                   help="rank with K models trained on the other folds (slow, but no model "
                        "has seen the email it judges); 0 uses --model")
    a.add_argument("--config", help="training config for --folds (default: the quick preset)")
    a.set_defaults(handler="training.commands.run_suspicious")
    a = asub.add_parser("build", help="rebuild the corpus files under data/ from their sources")
    a.add_argument("--generated", type=int, default=None, help="generated emails (default 3200)")
    a.add_argument("--seed", type=int, default=None, help="generator seed (default 13)")
    a.set_defaults(handler="annotations.commands.run_build")

    s = sub.add_parser("serve", help="run the review service")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(handler="api.commands.run_serve")

    s = sub.add_parser("keys", help="manage API keys")
    ksub = s.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    k = ksub.add_parser("create", help="create a key and print it once")
    k.add_argument("--role", choices=["agent", "reviewer", "admin"], required=True)
    k.add_argument("--name", required=True)
    k.add_argument("--expires", help="ISO date-time after which the key is refused")
    k.add_argument("--email", action="append", default=[], metavar="ADDR",
                   help="an agent's sender address whose mail to the SMTP receiver becomes "
                        "its items (repeatable)")
    k.set_defaults(handler="api.commands.run_keys_create")
    k = ksub.add_parser("list", help="every key: id, role, state, name, created, expires, sender addresses")
    k.set_defaults(handler="api.commands.run_keys_list")
    k = ksub.add_parser("revoke", help="revoke the live keys of a name (or a key id)")
    k.add_argument("name", help="the key's name or id")
    k.set_defaults(handler="api.commands.run_keys_revoke")
    k = ksub.add_parser("rotate", help="replace a key by a new one (printed once); the old is revoked")
    k.add_argument("name", help="the key's name or id")
    k.set_defaults(handler="api.commands.run_keys_rotate")

    s = sub.add_parser("export", help="the booking forms of auto-accepted and reviewed emails "
                                      "as a spreadsheet, one row per stay")
    s.add_argument("--format", choices=["csv", "xlsx"], required=True)
    s.add_argument("--status", help="comma list of auto_accepted, reviewed (default both)")
    s.add_argument("--since", help="ISO date or date-time: only items final (reviewed, or "
                                   "auto-accepted on arrival) from then on")
    s.add_argument("--out", required=True, help="the file to write")
    s.set_defaults(handler="api.commands.run_export")

    s = sub.add_parser("fetch", help="pull an IMAP mailbox folder into the review queue: each "
                                     "new message stored, then flagged (or moved)")
    s.add_argument("url", metavar="imap://USER@HOST[:PORT]/FOLDER",
                   help="IMAPS (port 993) unless --starttls (port 143); FOLDER defaults to INBOX")
    s.add_argument("--agent", metavar="NAME",
                   help="the agent key (name or id) whose items the mailbox's messages become; "
                        "without it, the agent who registered the From address (keys create "
                        "--email), other senders' mail left unread")
    s.add_argument("--password-env", default="STAYFORM_IMAP_PASSWORD", metavar="VAR",
                   help="the environment variable holding the password (default "
                        "STAYFORM_IMAP_PASSWORD)")
    s.add_argument("--once", action="store_true", help="one pass, then exit (else follow the "
                                                       "folder with IDLE or polling until Ctrl-C)")
    s.add_argument("--starttls", action="store_true", help="plain IMAP upgraded with STARTTLS")
    s.add_argument("--insecure", action="store_true",
                   help="do not check the server's certificate (tests only)")
    s.add_argument("--interval", type=float, default=60.0, metavar="S",
                   help="seconds between polls where the server has no IDLE (default 60)")
    s.add_argument("--move-to", metavar="FOLDER",
                   help="move each stored message there instead of flagging it \\Seen and "
                        "$stayform")
    s.set_defaults(handler="api.commands.run_fetch")
    return p


def run_batch(args: argparse.Namespace) -> int:
    """`stayform batch`: the extractor's batch command, given the review queue for `--queue`
    here, so that the extractor never imports the API (it sits below it)."""
    from extractor.commands import run_batch as batch

    return batch(args, open_queue=_open_review_queue)


def _open_review_queue() -> QueueWriter:
    from api.batch_queue import QueueWriter
    from api.db import DatabaseError
    from stayform.settings import get_settings

    try:
        return QueueWriter(get_settings())
    except DatabaseError as e:
        raise UserError(str(e)) from e


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _handler(args.handler)(args)
    except UserError as e:
        print(f"stayform: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stayform: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
