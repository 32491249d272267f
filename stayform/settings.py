"""Settings of CONTRACT.md, read from `STAYFORM_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from stayform.paths import default_model_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAYFORM_", extra="ignore")

    # unset: ./models/default, else the last trained model, else the per-user data folder's
    # (stayform/paths.py), so that a command finds its model from any directory
    model_dir: Path = Field(default_factory=default_model_dir)
    # what runs the token classifier: PyTorch, or the folder's int8 ONNX export where its
    # measured dev loss allows (extractor/onnx_runtime.py; else PyTorch, with a log line)
    runtime: Literal["torch", "onnx-int8"] = "torch"
    database_url: str = "sqlite:///./stayform.db"
    admin_key: str | None = None
    # None: use the threshold chosen by calibration and saved beside the model.
    review_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    max_email_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # the review service: how long a claimed item stays with its reviewer before it returns
    review_lease_seconds: float = Field(default=600.0, gt=0)
    # the share of auto-accepted items also queued for a second look (api/audit_sample.py)
    audit_share: float = Field(default=0.05, ge=0.0, le=1.0)
    # extractions running at once in the service (worker processes); more than the cores only
    # makes them slower
    extract_concurrency: int = Field(default=2, ge=1, le=64)
    # the service runs the model in worker processes that can be stopped (api/workers.py)
    extract_processes: bool = True
    # seconds one extraction may take before it is abandoned and its worker replaced
    extract_timeout_s: float = Field(default=30.0, gt=0)
    # seconds a request waits for a free worker, and how many may wait, before a 503
    extract_queue_timeout_s: float = Field(default=30.0, gt=0)
    extract_max_waiting: int = Field(default=64, ge=1)
    # batched inference (api/batcher.py): short requests arriving within this many
    # milliseconds, or queued while every worker was busy, share one model call of at most
    # this many requests (1: each request alone, as before batching)
    batch_wait_ms: float = Field(default=5.0, ge=0, le=1000)
    batch_max_rows: int = Field(default=8, ge=1, le=256)
    # seconds a shutdown waits for running requests before abandoning them
    shutdown_grace_s: float = Field(default=10.0, ge=0)
    # the review cookie's Secure flag; None follows the request's scheme
    cookie_secure: bool | None = None
    # webhooks (api/webhooks.py): the receiver, the whsec_ signing secret, and the retry
    # back-off (doubling from base to max, with jitter), the outbox poll and the post timeout
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_backoff_base_s: float = Field(default=1.0, gt=0)
    webhook_backoff_max_s: float = Field(default=3600.0, gt=0)
    webhook_poll_s: float = Field(default=1.0, gt=0)
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    # the SMTP receiver of forwarded mail (api/smtp.py): off unless a port is set; loopback
    # by default, since without AUTH it trusts the envelope sender
    smtp_port: int | None = Field(default=None, ge=0, le=65535)
    smtp_host: str = "127.0.0.1"
    # SMTP AUTH with the agent's key as password (off, optional, required), and STARTTLS
    # offered with this certificate and key (PEM files); AUTH then needs STARTTLS first
    smtp_auth: Literal["off", "optional", "required"] = "off"
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
