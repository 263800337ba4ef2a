"""The pages' scripts and styles: our own (static/) and the front-end packages npm installed into the
project's node_modules/ (``make install``), served from this site so that the pages work offline and under
a CSP that allows scripts from here only. Only the files listed in VENDOR are served from node_modules."""

from __future__ import annotations

import logging
import os
import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

log = logging.getLogger("patscape.web")
STATIC = Path(__file__).parent / "static"
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vega.min.js": "vega/build/vega.min.js",
    "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
    "vega-interpreter.js": "vega-interpreter/build/vega-interpreter.js",
}
# vega-interpreter ships as an ES module importing from vega-util: served as a plain script over the
# vega-util that vega.min.js carries (window.vega), so that no import map (an inline script) is needed
_ESM_IMPORT = re.compile(r"^import \{([^}]*)\} from 'vega-util';$", re.MULTILINE)
_ESM_EXPORT = re.compile(r"^export \{ (\w+) as (\w+) \};$", re.MULTILINE)
CACHE = {"Cache-Control": "public, max-age=3600"}


def node_modules() -> Path:
    """$PATSCAPE_NODE_MODULES, else node_modules/ of the checkout patscape is installed from."""
    found = os.environ.get("PATSCAPE_NODE_MODULES")
    return Path(found) if found else Path(__file__).resolve().parents[4] / "node_modules"


def missing_vendor_files() -> list[str]:
    root = node_modules()
    return [name for name, path in VENDOR.items() if not (root / path).is_file()]


router = APIRouter(include_in_schema=False)


@cache
def classic_script(path: Path) -> str:
    """An ES module of one import (from vega-util) and one export, as a script setting
    ``window.vegaInterpreter``."""
    source = path.read_text(encoding="utf-8")
    imports, exports = _ESM_IMPORT.findall(source), _ESM_EXPORT.findall(source)
    if len(imports) != 1 or len(exports) != 1 or source.count("\nimport ") + source.count("\nexport ") != 1:
        raise HTTPException(500, f"{path.name} is not the module this server knows how to serve")
    body = _ESM_IMPORT.sub(lambda m: f"const {{{m.group(1)}}} = window.vega;", source)
    body = _ESM_EXPORT.sub(lambda m: f"window.vegaInterpreter = {{ {m.group(2)}: {m.group(1)} }};", body)
    return f"(function () {{\n{body}\n}})();\n"


@router.get("/static/vendor/{name}")
def vendor(name: str) -> Response:
    """A front-end package's file (public: scripts hold no data)."""
    if name not in VENDOR:
        raise HTTPException(404, f"no vendor file {name}")
    path = node_modules() / VENDOR[name]
    if not path.is_file():
        raise HTTPException(404, f"{name} is not installed: run `make install` ({path} is missing)")
    if name == "vega-interpreter.js":
        return Response(classic_script(path), media_type="text/javascript", headers=CACHE)
    return FileResponse(path, media_type="text/javascript", headers=CACHE)


class _CachedStatic(StaticFiles):
    def file_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers.update(CACHE)
        return response


def static_files() -> StaticFiles:
    return _CachedStatic(directory=STATIC)
