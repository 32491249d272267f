"""`/docs` (Swagger UI) and `/redoc`, served from this service alone: FastAPI's own pages load
their script and style from a CDN and stay blank offline, so the app turns them off and these
routes point the same pages at the assets that the `fastapi-offline` package ships (Swagger UI
5 and ReDoc), mounted at `/docs-assets` (FastAPI's "self-hosting JavaScript and CSS for docs").
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
router = APIRouter(include_in_schema=False)


def assets() -> StaticFiles:
    """The docs' script, style and icon, from the installed package (no network)."""
    return StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI for `/openapi.json`, every asset from this origin."""
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_URL}",
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        # no validator badge: it would send the document's address to validator.swagger.io
        swagger_ui_parameters={**(request.app.swagger_ui_parameters or {}), "validatorUrl": None})


@router.get(OAUTH2_REDIRECT_URL, response_class=HTMLResponse)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc for `/openapi.json`, without Google's fonts."""
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}{request.app.openapi_url}",
                          title=f"{request.app.title} - ReDoc",
                          redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
                          redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
                          with_google_fonts=False)
