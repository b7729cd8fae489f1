"""The web UI: a chat page at ``/`` and ``/ui`` and its assets under ``/static``.

Plain files in ``greencart/api/static`` (no build step, no external fonts or CDN).
``mount_ui(app)`` includes the page routes and mounts the assets.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/", include_in_schema=False)
@router.get("/ui", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


def mount_ui(app: FastAPI) -> FastAPI:
    """Serve the chat page and its assets on ``app``; returns it."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
