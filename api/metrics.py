"""Prometheus metrics and the request log line, both written by one ASGI middleware.

Each app has its own registry (tests build many apps in one process). Requests are counted by
route *template* and status, so ids in paths do not explode the label sets; queue depth and
the auto-accept share are read from the database when Prometheus scrapes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import store
from api.boundary import REQUEST_ID_SCOPE, new_request_id, route_of

log = logging.getLogger("stayform.api.access")
KEY_ID_SCOPE = "stayform.key_id"  # set by the auth dependency, read for the log line


class Metrics:
    """The service's metrics in their own registry."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("stayform_http_requests_total", "HTTP requests",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram(
            "stayform_http_request_duration_seconds", "HTTP request latency",
            ["method", "route"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.registry.register(QueueCollector(sessions))


class QueueCollector(Collector):
    """Queue depth by status and the auto-accept share, read at scrape time."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self.sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily("stayform_queue_items", "Items by status", labels=["status"])
        share = GaugeMetricFamily("stayform_auto_accept_share",
                                  "Share of processed emails the extractor auto-accepted")
        try:
            with self.sessions() as session:
                counts = store.queue_counts(session)
                accepted = store.auto_accept_share(session)
        except Exception:  # a scrape must not fail because the database is down
            log.warning("queue metrics unavailable", extra={"event": "metrics_db_error"})
            return
        for status, n in counts.items():
            depth.add_metric([status], n)
        yield depth
        if accepted is not None:
            share.add_metric([], accepted)
            yield share


class RequestObserver:
    """Counts, times and logs every HTTP request (pure ASGI: works with streaming bodies)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        request_id = scope[REQUEST_ID_SCOPE] = new_request_id()

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            elapsed = time.perf_counter() - start
            route = route_of(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            log.info("request", extra={"event": "request", "method": method, "route": route,
                                       "status": status, "ms": round(elapsed * 1000, 1),
                                       "key_id": scope.get(KEY_ID_SCOPE),
                                       "request_id": request_id})
