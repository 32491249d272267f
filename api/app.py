"""The review service's FastAPI app: `create_app(settings, extractor=None)`.

On start the database is upgraded to the newest schema, the bootstrap admin key (if
`STAYFORM_ADMIN_KEY` is set) is created, and the model is loaded once unless the caller
passes an extractor (tests do).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api import db, smtp, store
from api.auth import MIN_ADMIN_KEY_CHARS
from api.boundary import ErrorBoundary, request_fields
from api.extraction import (
    ClientGone,
    ExtractionService,
    Extractor,
    ModelUnavailable,
    ServiceBusy,
)
from api.i18n import PageLocale
from api.limits import BodyLimit
from api.logs import error_fields
from api.metrics import Metrics, RequestObserver
from api.routes import docs, emails, export, extract, keys, keys_page, language, ops, page, review
from api.security import SecurityHeaders
from api.webhooks import WebhookSender
from stayform.settings import Settings

log = logging.getLogger("stayform.api")
STATIC_DIR = Path(__file__).parent / "static"
# Seconds a client should wait before retrying when the database is down, locked or its
# connection pool exhausted: long enough for a restart or a lock holder to finish.
DB_RETRY_AFTER_S = 5
# ... and when every extraction worker is busy: short requests take well under a second
BUSY_RETRY_AFTER_S = 2


class ConfigError(ValueError):
    """A setting the service refuses to start with (code C001)."""


def create_app(settings: Settings, extractor: Extractor | None = None, *,
               worker_factory: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
               ) -> FastAPI:
    """The app for `settings`; `extractor` replaces loading `settings.model_dir` (and runs in
    threads); `worker_factory` (a module-level function and its arguments) replaces it in the
    worker processes.

    Raises ConfigError for an admin key shorter than `auth.MIN_ADMIN_KEY_CHARS`."""
    if settings.admin_key and len(settings.admin_key.strip()) < MIN_ADMIN_KEY_CHARS:
        raise ConfigError(f"C001: STAYFORM_ADMIN_KEY must be at least {MIN_ADMIN_KEY_CHARS} "
                          "characters (generate one: stayform keys create --role admin ...)")
    engine = db.make_engine(settings.database_url)
    sessions = db.make_sessionmaker(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(db.migrate, engine)
        db.watch_sqlite_file(engine)
        if settings.admin_key:
            with sessions() as session:
                await run_in_threadpool(store.ensure_bootstrap_key, session,
                                        token=settings.admin_key)
        if extractor is not None:
            app.state.extraction = ExtractionService(extractor,
                                                     concurrency=settings.extract_concurrency)
        elif settings.extract_processes or worker_factory is not None:
            app.state.extraction = await run_in_threadpool(
                ExtractionService.start_pool, settings, worker_factory)
        else:
            app.state.extraction = await run_in_threadpool(
                ExtractionService.load, settings, concurrency=settings.extract_concurrency)
        # events are always written (api/outbox.py); they are sent only when a URL is set
        app.state.webhooks = (WebhookSender(settings, sessions) if settings.webhook_url
                              else None)
        if app.state.webhooks is not None:
            app.state.webhooks.start()
        app.state.smtp = (await smtp.start(settings, sessions, app.state.extraction)
                          if settings.smtp_port is not None else None)
        log.info("service started", extra={"event": "started", "database": engine.dialect.name,
                                           "model_loaded": app.state.extraction.ready})
        try:
            yield
        finally:
            if app.state.smtp is not None:
                await smtp.stop(app.state.smtp, settings.shutdown_grace_s)
            if app.state.webhooks is not None:
                await app.state.webhooks.stop()
            # running extractions get the grace period, then their workers are killed
            await run_in_threadpool(app.state.extraction.close, settings.shutdown_grace_s)
            engine.dispose()

    # /docs and /redoc are api/routes/docs.py's: the same pages with local assets
    app = FastAPI(title="stayform", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  summary="Hotel booking emails in, booking forms out; a review queue between.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.metrics = Metrics(sessions)

    # the page's fixed paths (/review/keys, /review/language/..) before its /review/{item_id}
    for module in (extract, emails, review, export, keys, ops, docs, keys_page, language, page):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(docs.ASSETS_URL, docs.assets(), name="docs-assets")
    _add_error_handlers(app)
    app.add_middleware(ErrorBoundary)  # innermost: its 500 passes the middleware below
    app.add_middleware(BodyLimit, max_email_bytes=settings.max_email_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(PageLocale)  # the review page's language, for the handler's thread too
    app.add_middleware(RequestObserver, metrics=app.state.metrics)  # outermost: sees all
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(store.ItemNotFound)
    async def not_found(request: Request, exc: store.ItemNotFound) -> JSONResponse:
        return JSONResponse({"detail": "no such email"}, status_code=404)

    @app.exception_handler(store.SaveConflict)
    async def conflict(request: Request, exc: store.SaveConflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "code": exc.code,
                             "current_version": exc.current_version}, status_code=409,
                            headers={"ETag": f'"{exc.current_version}"'})

    @app.exception_handler(ModelUnavailable)
    async def no_model(request: Request, exc: ModelUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(ServiceBusy)
    async def busy(request: Request, exc: ServiceBusy) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "code": "B001"}, status_code=503,
                            headers={"Retry-After": str(BUSY_RETRY_AFTER_S)})

    @app.exception_handler(ClientGone)
    async def client_gone(request: Request, exc: ClientGone) -> Response:
        return Response(status_code=499)  # nobody reads it; the request line says what happened

    # Down, locked (SQLite busy timeout), connection lost or no pooled connection free: the
    # request changed nothing (writes commit atomically), so the client may send it again;
    # the idempotent ingest makes the retry create the item exactly once.
    async def database_down(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable", extra={"event": "db_error", **error_fields(exc),
                                                 **request_fields(request.scope)})
        return JSONResponse({"detail": "database unavailable, retry later", "code": "D003"},
                            status_code=503, headers={"Retry-After": str(DB_RETRY_AFTER_S)})

    for error in (OperationalError, InterfaceError, PoolTimeout, db.DatabaseGone):
        app.add_exception_handler(error, database_down)

    # Any other exception: api/boundary.py (ErrorBoundary) answers 500 and logs it without
    # content; no handler for Exception here, since Starlette re-raises after calling it.
