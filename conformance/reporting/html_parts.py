"""Fragments of ``certification.html``: requirement rows, failure cards, family cards, metadata lists.

Every function takes parts of the (already redacted) certification document and returns escaped HTML.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

STATUS_ORDER = ("PASS", "FAIL", "DEVIATION", "REVIEW", "WAIVED", "SKIPPED", "NOT_RUN")
STATUS_LABEL = {"PASS": "Pass", "FAIL": "Fail", "DEVIATION": "Deviation", "REVIEW": "Review", "WAIVED": "Waived",
                "SKIPPED": "Skipped", "NOT_RUN": "Not run"}
FAILED_STATUSES = ("FAIL", "DEVIATION", "REVIEW", "WAIVED")


def pill(status: str) -> str:
    """A coloured status badge."""
    return f'<span class="pill pill-{escape(status)}">{escape(STATUS_LABEL.get(status, status))}</span>'


def family_card(family: str, counts: dict[str, int]) -> str:
    """One API family: a stacked bar of its statuses and the counts."""
    total = sum(counts.values()) or 1
    segments = "".join(f'<span class="seg-{s}" style="width:{100 * counts[s] / total:.2f}%" title="{s}: {counts[s]}">'
                       "</span>" for s in STATUS_ORDER if counts.get(s))
    legend = "".join(f'<span><i class="seg-{s}"></i>{STATUS_LABEL[s]} {counts[s]}</span>'
                     for s in STATUS_ORDER if counts.get(s))
    passed = counts.get("PASS", 0)
    return (f'<div class="card panel"><h3>{escape(family)}<small>{passed}/{sum(counts.values())} pass</small></h3>'
            f'<div class="bar">{segments}</div><div class="legend">{legend}</div></div>')


def requirement_row(entry: dict[str, Any]) -> str:
    """One table row; the requirement text, reference, reason and tests fold out under ``details``."""
    search = " ".join(str(entry[k]) for k in ("id", "title", "family", "source", "status", "reason", "text")).lower()
    reason = f'<div class="reason">{escape(entry["reason"])}</div>' if entry["reason"] else ""
    tests = "".join(f"<li><code>{escape(t)}</code></li>" for t in entry["tests"]) or "<li>none</li>"
    link = f' · <a href="#f-{escape(entry["id"])}">evidence</a>' if entry["evidence"] else ""
    return (
        f'<tr class="req" id="r-{escape(entry["id"])}" data-status="{escape(entry["status"])}" '
        f'data-family="{escape(entry["family"])}" data-level="{escape(entry["level"])}" '
        f'data-search="{escape(search)}">'
        f'<td class="id"><a href="#r-{escape(entry["id"])}">{escape(entry["id"])}</a></td>'
        f'<td><span class="level level-{escape(entry["level"])}">{escape(entry["level"])}</span></td>'
        f'<td class="family">{escape(entry["family"])}</td>'
        f'<td class="text"><div class="title">{escape(entry["title"])}</div>{reason}'
        f'<details class="more"><summary>details{link}</summary><blockquote>{escape(entry["text"])}</blockquote>'
        f'<div class="kv">Reference: <code>{escape(entry["ref"])}</code></div>'
        f'<div class="kv">Tests:</div><ul class="tests">{tests}</ul></details></td>'
        f'<td class="source">{escape(entry["source"])}</td><td>{pill(entry["status"])}</td></tr>'
    )


def failure_card(entry: dict[str, Any]) -> str:
    """A failed (or deviating, waived, to-review) requirement with its evidence and curl lines."""
    waiver = entry.get("waiver")
    waived = (f'<p class="kv">Waived until {escape(waiver["expires"])}: {escape(waiver["justification"])}</p>'
              if waiver else "")
    evidence = "".join(_evidence_block(item) for item in entry["evidence"])
    return (
        f'<article class="failure panel st-{escape(entry["status"])}" id="f-{escape(entry["id"])}">'
        f'<header>{pill(entry["status"])}<h3>{escape(entry["id"])} · {escape(entry["title"])}</h3>'
        f'<span class="level level-{escape(entry["level"])}">{escape(entry["level"])}</span></header>'
        f'{waived}<blockquote class="kv">{escape(entry["text"])} <code>({escape(entry["ref"])})</code></blockquote>'
        f"{evidence}</article>"
    )


def _evidence_block(item: dict[str, Any]) -> str:
    exchanges = "".join(_exchange(exchange) for exchange in item["exchanges"])
    if not exchanges:
        exchanges = '<p class="kv">No HTTP exchange was recorded for this failure.</p>'
    return (f'<div class="test">{escape(item["test"])}</div>'
            f'<div class="message">{escape(item["message"] or "failed")}</div>{exchanges}')


def _exchange(exchange: dict[str, Any]) -> str:
    request = f'{exchange["method"]} {exchange["url"]}\n' + _headers(exchange.get("request_headers") or {})
    request += "\n" + _pretty(exchange.get("request_body") or "")
    response = f'HTTP {exchange.get("status")}\n' + _headers(exchange.get("response_headers") or {})
    response += "\n" + _pretty(exchange.get("response_body") or "")
    return (
        f'<div class="exchange"><div><h4>Request</h4><pre>{escape(request.rstrip())}</pre></div>'
        f'<div><h4>Response</h4><pre>{escape(response.rstrip())}</pre></div>'
        f'<div class="curl"><h4>Reproduce</h4><pre>{escape(exchange["curl"])}</pre>'
        f'<button class="copy" type="button">Copy</button></div></div>'
    )


def _headers(headers: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in headers.items())


def _pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2)
    except ValueError:
        return body


def definition_list(items: list[tuple[str, str]]) -> str:
    """``<dl>`` of label/value pairs (values are escaped and shown as code when they look technical)."""
    rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in items)
    return f'<dl class="meta">{rows}</dl>'


def waiver_table(title: str, waivers: list[dict[str, Any]], note: str) -> str:
    """A small table of waivers (applied, expired or stale)."""
    if not waivers:
        return ""
    rows = "".join(
        f'<tr><td class="id">{escape(w["requirement"])}</td><td>{escape(w["justification"])}</td>'
        f'<td>{escape(w["expires"])}</td><td class="family">{escape(w["target_host"] or "any target")}</td></tr>'
        for w in waivers)
    return (f'<h3 class="kv">{escape(title)} — {escape(note)}</h3><div class="panel"><table><thead><tr>'
            "<th>Requirement</th><th>Justification</th><th>Expires</th><th>Target</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")
