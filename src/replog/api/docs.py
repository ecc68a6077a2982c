"""The API's docs page, rendered on the server from the OpenAPI document.

Swagger UI and ReDoc load their scripts from a CDN; a self-hosted server in a gym's
basement may have no internet, so the page is plain HTML with no script at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}
.GET{color:#05640f}.POST{color:#0645ad}.PUT,.PATCH{color:#8a5a00}.DELETE{color:#b00020}
.WS{color:#6a1b9a}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}
td{padding:.1rem .6rem .1rem 0;vertical-align:top}
"""
STYLE_SHA256 = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
"""The inline style's hash, for the Content-Security-Policy that allows it and no other."""


def _ref_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "items" in schema:
        return f"list of {_ref_name(schema['items'])}"
    if "anyOf" in schema:
        return " or ".join(_ref_name(s) for s in schema["anyOf"])
    return str(schema.get("type", "object"))


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    e = html.escape
    out = [f'<div class="op"><span class="m {method.upper()}">{method.upper()}</span>']
    out.append(f"<code>{e(path)}</code> — {e(op.get('summary', ''))}")
    if op.get("description"):
        out.append(f"<p>{e(op['description'])}</p>")
    params = op.get("parameters", [])
    if params:
        rows = "".join(
            f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}</td>"
            f"<td>{e(_ref_name(p.get('schema', {})))}</td>"
            f"<td>{e(p.get('description', ''))}</td></tr>"
            for p in params
        )
        out.append(f"<table>{rows}</table>")
    body = op.get("requestBody", {}).get("content", {})
    for mime, content in body.items():
        out.append(
            f"<p>Body ({e(mime)}): <code>{e(_ref_name(content.get('schema', {})))}</code></p>"
        )
    codes = ", ".join(
        f"{e(code)} {e(r.get('description', ''))}" for code, r in op.get("responses", {}).items()
    )
    out.append(f"<p><small>Responses: {codes}</small></p></div>")
    return "".join(out)


def render(spec: dict[str, Any], extra: str = "") -> str:
    """The whole page: every operation by tag, then every schema as JSON."""
    e = html.escape
    by_tag: dict[str, list[str]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(_operation(path, method, op))
    info = spec.get("info", {})
    parts = [
        f"<!doctype html><html lang=en><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{e(info.get('title', 'API'))} API</title><style>{_STYLE}</style>",
        f"<h1>{e(info.get('title', 'API'))} API {e(info.get('version', ''))}</h1>",
        f"<p>{e(info.get('description', ''))}</p>",
        "<p>Machine-readable: <a href='/api/v1/openapi.json'>/api/v1/openapi.json</a></p>",
        extra,
    ]
    for tag, ops in by_tag.items():
        parts.append(f"<h2>{e(tag)}</h2>{''.join(ops)}")
    parts.append("<h2>Schemas</h2>")
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        parts.append(
            f"<h3 id='{e(name)}'>{e(name)}</h3><pre>{e(json.dumps(schema, indent=1))}</pre>"
        )
    return "".join(parts) + "</html>"
