"""``certification.html``: one self-contained page (inline CSS and JS, no external URL) for partners.

Verdict banner, counts per API family, the requirement table with filters (status, family, level, text
search), every failure with its redacted evidence and a curl line to reproduce it, waivers, run metadata.
The table is rendered on the server side, so the page reads without JavaScript; the script only filters.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from conformance.redaction import REDACTOR
from conformance.reporting.html_parts import (
    FAILED_STATUSES,
    STATUS_LABEL,
    STATUS_ORDER,
    definition_list,
    failure_card,
    family_card,
    requirement_row,
    waiver_table,
)

HTML_FILE = "certification.html"
VERDICT_CLASS = {"CONFORMANT": "verdict-pass", "NOT CONFORMANT": "verdict-fail", "INCOMPLETE": "verdict-incomplete"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _asset(name: str) -> str:
    return resources.files("conformance.reporting").joinpath("assets", name).read_text(encoding="utf-8")


def render_html(document: dict[str, Any]) -> str:
    """The whole page for a certification document, redacted once more."""
    run = document["run"]
    title = f"Conformance certification · {run['target']['host']} · {document['verdict']}"
    body = "".join((_verdict(document), _families(document), _table(document), _failures(document),
                    _waivers(document), _problems(document), _run(document)))
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        '<header class="topbar"><div class="brand"><span class="brand-mark">✓</span>Identity Service Conformance Kit'
        f'</div><div class="meta">Certification report · run {escape(run["id"] or "n/a")} · '
        f'{escape(run["finished"] or run["started"] or "")}</div></header>'
        f"<main>{body}</main>{_footer(document)}<script>{_asset('report.js')}</script></body></html>\n"
    )
    return REDACTOR.text(page)


def _verdict(document: dict[str, Any]) -> str:
    run, counts = document["run"], document["totals"]["by_status"]
    facts = [("Target", run["target"]["host"]), ("Kind", "emulator" if run["target"]["is_emulator"] else "live tenant"),
             ("Profile", run["profile"]), ("MIME phase", run["mime_phase"])]
    fact_html = "".join(f'<span class="fact">{escape(k)} <b>{escape(v)}</b></span>' for k, v in facts)
    stats = [("Requirements", document["totals"]["requirements"]), ("Pass", counts["PASS"]), ("Fail", counts["FAIL"]),
             ("Deviation", counts["DEVIATION"]), ("Waived", counts["WAIVED"]),
             ("Not verified", counts["SKIPPED"] + counts["NOT_RUN"])]
    stat_html = "".join(f'<div class="stat"><span class="n">{n}</span><span class="l">{escape(label)}</span></div>'
                        for label, n in stats)
    return (
        f'<section class="verdict {VERDICT_CLASS[document["verdict"]]}" id="verdict" '
        f'data-verdict="{escape(document["verdict"])}"><div><div class="verdict-label">Verdict</div>'
        f'<h1 class="verdict-value">{escape(document["verdict"])}</h1>'
        f'<p class="verdict-reason">{escape(document["verdict_reason"])}</p>'
        f'<div class="verdict-facts">{fact_html}</div></div><div class="verdict-stats">{stat_html}</div></section>'
    )


def _families(document: dict[str, Any]) -> str:
    cards = "".join(family_card(family, counts) for family, counts in document["totals"]["by_family"].items())
    return f'<section id="families"><h2>By API family</h2><div class="cards">{cards}</div></section>'


def _table(document: dict[str, Any]) -> str:
    entries = document["requirements"]
    counts = document["totals"]["by_status"]
    chips = "".join(
        f'<button class="chip" type="button" data-status="{s}" aria-pressed="false">{STATUS_LABEL[s]}'
        f'<span class="count">{counts[s]}</span></button>' for s in STATUS_ORDER if counts[s])
    families = "".join(f"<option>{escape(f)}</option>" for f in sorted({e["family"] for e in entries}))
    levels = "".join(f"<option>{lvl}</option>" for lvl in ("MUST", "SHOULD", "MAY"))
    rows = "".join(requirement_row(entry) for entry in entries)
    return (
        '<section id="requirements"><h2>Requirements</h2><div class="panel">'
        f'<div class="filters" hidden><div class="chips" role="group" aria-label="Status">{chips}</div>'
        f'<select id="filter-family" aria-label="API family"><option value="">All families</option>{families}</select>'
        f'<select id="filter-level" aria-label="Level"><option value="">All levels</option>{levels}</select>'
        '<input id="filter-search" type="search" placeholder="Search ID, title, reason…" aria-label="Search">'
        f'<span class="shown" id="shown">{len(entries)} requirements</span></div>'
        '<table id="requirement-table"><thead><tr><th>ID</th><th>Level</th><th>Family</th><th>Requirement</th>'
        f'<th class="source">Source</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>'
        '<p class="empty" id="no-match" hidden>No requirement matches the filters.</p></div></section>'
    )


def _failures(document: dict[str, Any]) -> str:
    failed = [e for e in document["requirements"] if e["status"] in FAILED_STATUSES]
    cards = "".join(failure_card(entry) for entry in failed)
    if not cards:
        cards = '<div class="panel"><p class="none">No requirement failed.</p></div>'
    return f'<section id="failures"><h2>Failures, deviations and reviews ({len(failed)})</h2>{cards}</section>'


def _waivers(document: dict[str, Any]) -> str:
    waivers = document["waivers"]
    tables = (waiver_table("Applied", waivers["applied"], "failures accepted for this run")
              + waiver_table("Expired", waivers["expired"], "no longer applied")
              + waiver_table("Stale", waivers["stale"], "the requirement passes now; remove the waiver"))
    return f'<section id="waivers"><h2>Waivers</h2>{tables}</section>' if tables else ""


def _problems(document: dict[str, Any]) -> str:
    if not document["problems"]:
        return ""
    items = "".join(f"<li><code>{escape(problem)}</code></li>" for problem in document["problems"])
    return (f'<section id="problems"><h2>Tool problems</h2><div class="panel"><ul class="tests">{items}</ul>'
            "</div></section>")


def _run(document: dict[str, Any]) -> str:
    run = document["run"]
    tests = document["totals"]["tests"]
    items = [("Kit version", document["kit"]["version"]), ("Run ID", run["id"]), ("Started", run["started"]),
             ("Finished", run["finished"]), ("Target", run["target"]["base_url"]),
             ("Expected Host", run["target"]["expected_host"]), ("Profile", run["profile"]),
             ("MIME phase", run["mime_phase"]), ("Python", f'{run["python"]} ({run.get("platform", "")})'),
             ("Tests", ", ".join(f"{tests[k]} {k}" for k in ("passed", "failed", "skipped", "error"))),
             ("Pytest exit status", str(run["pytest_exit_status"]))]
    items += [(name, version) for name, version in run["libraries"].items()]
    digests = definition_list([(name, digest) for name, digest in run["spec_digests"].items()])
    return (f'<section id="run"><h2>Run</h2><div class="panel">{definition_list(items)}'
            f'<details class="more" style="padding:0 18px 14px"><summary>Spec file digests (SHA-256)</summary>'
            f"{digests}</details></div></section>")


def _footer(document: dict[str, Any]) -> str:
    return (f'<footer>Generated by identity-conformance-kit {escape(document["kit"]["version"])}. '
            "Every artifact of this run is listed in <code>MANIFEST.sha256</code>; check it with "
            "<code>conformance verify-report DIR --public-key KEY.pem</code>.</footer>")


def write_html(document: dict[str, Any], report_dir: Path) -> Path:
    """Write ``certification.html`` next to ``certification.json``."""
    path = report_dir / HTML_FILE
    path.write_text(render_html(document), encoding="utf-8")
    return path
