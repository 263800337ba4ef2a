"""The report as HTML: one Jinja2 template, two renderings.

- ``interactive``: the file people open; the Vega, Vega-Lite and Vega-Embed libraries are inlined (no CDN,
  works offline) and each chart is drawn from its spec, with tooltips and a legend that highlights; the
  static SVG sits in its place until the script replaces it (and stays when scripts are off).
- ``print``: what WeasyPrint turns into the PDF: the same page with the SVG charts only, no script.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

import jinja2
import vl_convert as vlc
from markupsafe import Markup

from patscape.report.charts import Figure

EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def _vl_version() -> str:
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_version_for_vl_convert()


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (from vl-convert, offline)."""
    return vlc.javascript_bundle(vl_version=_vl_version())


def spec(fig: Figure) -> dict[str, Any]:
    out = fig.chart.to_dict()
    out.pop("$schema", None)  # a URL the page never needs
    return out


def svg(fig: Figure) -> str:
    return vlc.vegalite_to_svg(spec(fig), vl_version=_vl_version())


def _script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


def _data_uri(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode("ascii")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("patscape.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["script_json"] = _script_json
    env.filters["data_uri"] = _data_uri
    return env


def stylesheet() -> str:
    return environment().loader.get_source(environment(), "report.css")[0]  # type: ignore[union-attr]


def render(context: dict[str, Any], *, interactive: bool, svgs: dict[str, str]) -> str:
    """The page; ``context`` holds the report's parts (see ``build.py``), ``svgs`` each chart's SVG."""
    env = environment()
    page = env.get_template("report.html.j2")
    return page.render(
        **context,
        interactive=interactive,
        svgs={k: Markup(v) for k, v in svgs.items()},
        specs={k: spec(f) for k, f in context["figures"].items()} if interactive else {},
        bundle=Markup(javascript_bundle()) if interactive else Markup(""),
        embed_options=EMBED_OPTIONS,
        css=Markup(stylesheet()),
    )
