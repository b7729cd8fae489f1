"""HTTP API: ``create_app()`` builds the FastAPI application."""

from greencart.api.app import create_app

__all__ = ["create_app"]
