"""The service's settings: `stayform.settings.Settings` plus what only the service reads.

Same `STAYFORM_` environment variables, same validation; `from_settings` accepts the plain
project settings so callers need not know about the extra fields.
"""

from __future__ import annotations

from pydantic import Field

from stayform.settings import Settings


class ServiceSettings(Settings):
    # How long a claimed item stays with its reviewer before it returns to the queue.
    review_lease_seconds: float = Field(default=600.0, gt=0)
    # Extractions run at once; more than the cores only makes them slower.
    extract_concurrency: int = Field(default=2, ge=1, le=64)
    # Trust X-Forwarded-Proto for the cookie's Secure flag only behind a known proxy.
    cookie_secure: bool | None = None


def from_settings(settings: Settings) -> ServiceSettings:
    """`settings` as ServiceSettings (extra fields from the environment or defaults)."""
    if isinstance(settings, ServiceSettings):
        return settings
    return ServiceSettings(**settings.model_dump())
