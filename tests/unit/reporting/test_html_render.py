"""certification.html: self-contained, and rendered by headless Chromium with its script run.

The Chromium tests skip (with the reason) where ``/usr/bin/chromium`` is absent; `.ci/run` installs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conformance.reporting.certification import ReportInputs, build_certification
from conformance.reporting.html_report import write_html
from conformance.reporting.metadata import versions
from conformance.requirements import Catalogue
from tests.support.reporting_samples import TODAY, sample_records

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
needs_chromium = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                    reason=f"headless Chromium not installed at {CHROMIUM} (apt-get install chromium)")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


@pytest.fixture
def page(catalogue: Catalogue, tmp_path: Path) -> Path:
    """The sample run (NOT CONFORMANT, seven requirements) rendered to certification.html."""
    document = build_certification(ReportInputs(catalogue, sample_records(), [], versions(), TODAY, {}))
    report_dir = tmp_path / "report"
    report_dir.mkdir()
    return write_html(document, report_dir)


def chromium(page: Path, tmp_path: Path, *action: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on the page with its own throw-away profile."""
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", *action,
               "--window-size=1280,1600", page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def test_page_is_self_contained(page: Path) -> None:
    """No stylesheet, script, image or link pointing outside the file."""
    assert [] == EXTERNAL.findall(page.read_text())


def test_page_has_a_row_and_a_failure_card_per_failed_requirement(page: Path) -> None:
    """Seven requirement rows; failure cards for SCIM-001 (FAIL), SCIM-003 (REVIEW), TOKEN-002 (DEVIATION)."""
    html = page.read_text()
    cards = re.findall(r'<article class="failure panel st-[A-Z_]+" id="f-([A-Z0-9-]+)"', html)
    assert (7, ["SCIM-001", "SCIM-003", "TOKEN-002"]) == (html.count('<tr class="req"'), cards)


@needs_chromium
def test_chromium_runs_the_script_and_renders_banner_and_rows(page: Path, tmp_path: Path) -> None:
    """After JS ran, the DOM has the verdict banner, seven visible rows and the filter summary."""
    dom = chromium(page, tmp_path, "--dump-dom").stdout
    banner = re.search(r'<h1 class="verdict-value">([^<]+)</h1>', dom)
    assert ("NOT CONFORMANT", True, 7, True) == (
        banner.group(1) if banner else None, 'data-ready="true"' in dom,
        len(re.findall(r'<tr class="req"(?![^>]*hidden)', dom)), "Showing 7 of 7 requirements" in dom)


@needs_chromium
def test_chromium_screenshot(page: Path, tmp_path: Path) -> None:
    """A 1280x1600 PNG screenshot is produced (kept next to the page for a human look)."""
    shot = page.parent / "certification.png"
    chromium(page, tmp_path, f"--screenshot={shot}")
    assert (True, b"\x89PNG") == (shot.stat().st_size > 20_000, shot.read_bytes()[:4])
