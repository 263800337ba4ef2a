"""The web layer: the REST API (FastAPI) over the monitor and landscape libraries; pages come later."""

from patscape.web.app import create_app

__all__ = ["create_app"]
