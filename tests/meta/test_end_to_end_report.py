"""Issue 5, "Done when": one real ``conformance run`` of the whole suite against the embedded emulator produces every
report artifact, a CONFORMANT verdict that validates against its schema, a self-contained HTML page that renders
in Chromium, a signed manifest that detects a single flipped byte, and not one secret or token in any file.

The run happens once (module fixture, ~2-4 minutes on 2 cores); every test reads what it left behind.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conformance.paths import spec_path
from tests.support.end_to_end_report import (
    EndToEndRun,
    chromium_available,
    chromium_render,
    conformance_command,
    external_references,
    run_conformance,
    secret_hits,
)

pytestmark = pytest.mark.slow

ARTIFACTS = ("allure-results/environment.properties", "allure-results/categories.json", "junit.xml",
             "results.jsonl", "pytest.log", "certification.json", "certification.html", "MANIFEST.sha256",
             "MANIFEST.sig")
STATUSES = ("PASS", "FAIL", "DEVIATION", "REVIEW", "WAIVED", "SKIPPED", "NOT_RUN")
QUIET_LINE = re.compile(r"^(conformance run: writing .+|(FAILED|ERROR) +\S+  \S.*|(NOT CONFORMANT|CONFORMANT|"
                        r"INCOMPLETE): .+|report: .+)$")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> EndToEndRun:
    """The one suite run of this module; its duration and verdict line go to the terminal."""
    result = run_conformance(tmp_path_factory.mktemp("end-to-end"))
    reporter = pytestconfig.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        last = result.stdout.strip().splitlines()[-2:] or ["(no output)"]
        reporter.write_line(f"\nend-to-end conformance run: {result.seconds:.0f}s, exit {result.returncode}: {last[0]}")
    return result


@pytest.fixture(scope="module")
def document(run: EndToEndRun) -> dict:
    """certification.json of the run."""
    path = run.report_dir / "certification.json"
    if not path.is_file():
        pytest.fail(f"no certification.json; exit {run.returncode}; stderr: {run.stderr.strip()[-800:]}")
    return json.loads(path.read_text(encoding="utf-8"))


def _problems(document: dict) -> list[str]:
    """Requirements that keep the run from CONFORMANT, with the start of their reason."""
    return [f'{e["id"]} {e["status"]}: {e["reason"][:160]}' for e in document["requirements"]
            if e["status"] in ("FAIL", "NOT_RUN") or (e["status"] == "SKIPPED" and e["level"] == "MUST")]


def test_emulator_run_is_conformant_and_exits_0(run: EndToEndRun, document: dict) -> None:
    """The emulator is the reference implementation: the full suite against it is CONFORMANT, exit 0."""
    problems = "\n".join(_problems(document))
    assert ("CONFORMANT", 0) == (document["verdict"], run.returncode), f"what keeps it from CONFORMANT:\n{problems}"


def test_exit_status_follows_the_verdict(run: EndToEndRun, document: dict) -> None:
    """Exit 0 only for CONFORMANT, 1 for NOT CONFORMANT (README "Reports")."""
    expected = {"CONFORMANT": 0, "NOT CONFORMANT": 1}.get(document["verdict"], "2, 3 or 4")
    actual = run.returncode if run.returncode in (0, 1) else "2, 3 or 4"
    assert expected == actual


def test_run_ends_with_the_verdict_line_and_the_report_path(run: EndToEndRun, document: dict) -> None:
    """The last two lines of stdout: ``<VERDICT>: <reason>`` and ``report: <path of certification.html>``."""
    expected = [f'{document["verdict"]}: {document["verdict_reason"]}',
                f'report: {run.report_dir.resolve() / "certification.html"}']
    assert expected == run.stdout.strip().splitlines()[-2:]


def test_stdout_stays_quiet_in_ci(run: EndToEndRun) -> None:
    """With CI=true: the start line, one line per failed test, the verdict and the path; no progress bar."""
    noisy = [line for line in run.stdout.splitlines() if not QUIET_LINE.match(line) or "\x1b" in line]
    assert [] == noisy


def test_every_artifact_exists(run: EndToEndRun) -> None:
    """allure results (with environment and categories), JUnit, the certification pair, manifest and signature."""
    missing = [name for name in ARTIFACTS if not (run.report_dir / name).is_file()]
    results = list((run.report_dir / "allure-results").glob("*-result.json"))
    assert ([], True) == (missing, len(results) > 100)


def test_allure_environment_and_categories(run: EndToEndRun) -> None:
    """environment.properties names the kit version and the emulator target; categories.json is allure's list."""
    allure = run.report_dir / "allure-results"
    properties = dict(line.split("=", 1) for line in (allure / "environment.properties").read_text().splitlines())
    names = [category["name"] for category in json.loads((allure / "categories.json").read_text())]
    assert (True, "true", True) == ("kit.version" in properties, properties.get("target.emulator"),
                                    {"Target unavailable", "MUST failure"} <= set(names))


def test_certification_json_validates_against_its_schema(document: dict) -> None:
    """certification.json is valid under specs/schemas/certification.schema.json (draft 2020-12)."""
    schema = json.loads(spec_path("schemas/certification.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [] == [f"{list(error.absolute_path)}: {error.message[:200]}" for error in validator.iter_errors(document)]


def test_totals_agree_with_the_rows(document: dict) -> None:
    """by_status counts the rows, by_family adds up to by_status, and the test counts add up."""
    rows = Counter(entry["status"] for entry in document["requirements"])
    families = Counter()
    for counts in document["totals"]["by_family"].values():
        families.update(counts)
    tests = document["totals"]["tests"]
    assert ({s: rows[s] for s in STATUSES}, len(document["requirements"]), {s: families[s] for s in STATUSES},
            tests["total"]) == (document["totals"]["by_status"], document["totals"]["requirements"],
                                document["totals"]["by_status"],
                                tests["passed"] + tests["failed"] + tests["skipped"] + tests["error"])


def test_test_counts_agree_across_artifacts(run: EndToEndRun, document: dict) -> None:
    """certification.json, results.jsonl and junit.xml count the same tests and the same failures."""
    lines = [json.loads(line) for line in (run.report_dir / "results.jsonl").read_text().splitlines()]
    suite = ET.parse(run.report_dir / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    tests = document["totals"]["tests"]
    assert (tests["total"], tests["failed"] + tests["error"]) == (
        sum(line["kind"] == "test" for line in lines), int(suite.get("failures", 0)) + int(suite.get("errors", 0)))
    assert tests["total"] == sum(1 for _ in suite.iter("testcase"))


def test_html_is_self_contained(run: EndToEndRun) -> None:
    """No http(s) URL in src/href/url(), no <script src>, no stylesheet link; the CSP forbids every fetch."""
    html = (run.report_dir / "certification.html").read_text(encoding="utf-8")
    assert ([], True) == (external_references(html), "default-src 'none'" in html)


def test_html_renders_in_chromium(run: EndToEndRun, document: dict) -> None:
    """Headless Chromium runs the page's script and shows the verdict banner and every requirement row."""
    if not chromium_available():
        pytest.skip("headless Chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
    dom, screenshot = chromium_render(run.report_dir / "certification.html", run.workdir)
    verdict = re.search(r'<section class="verdict [^"]*" id="verdict" data-verdict="([^"]+)"', dom)
    rows = len(re.findall(r'<tr class="req"', dom))
    total = len(document["requirements"])
    assert (document["verdict"], True, total, f"Showing {total} of {total} requirements", True) == (
        verdict.group(1) if verdict else None, 'data-ready="true"' in dom, rows,
        re.search(r'id="shown">([^<]*)<', dom).group(1) if 'id="shown"' in dom else None,
        screenshot.is_file() and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        and screenshot.stat().st_size > 20_000)


def _verify_report(report_dir: Path, public_key: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(conformance_command("verify-report", str(report_dir), "--public-key", str(public_key)),
                          capture_output=True, text=True, timeout=60, check=False)


def test_signature_verifies(run: EndToEndRun) -> None:
    """``conformance verify-report DIR --public-key PUB`` accepts the untouched report."""
    done = _verify_report(run.report_dir, run.public_key)
    assert (0, True) == (done.returncode, done.stdout.startswith("OK:") and "MANIFEST.sig is valid" in done.stdout)


def _tampered_copy(run: EndToEndRun, name: str) -> Path:
    copy = run.workdir / name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(run.report_dir, copy, symlinks=True)
    target = copy / "certification.json"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return copy


def test_one_flipped_byte_fails_verification(run: EndToEndRun) -> None:
    """One byte of certification.json changed (in a copy): exit 1, one line naming the file."""
    done = _verify_report(_tampered_copy(run, "tampered-byte"), run.public_key)
    assert (1, ["MISMATCH: certification.json does not match its digest in MANIFEST.sha256"]) == (
        done.returncode, done.stderr.strip().splitlines())


def test_a_recomputed_manifest_fails_the_signature(run: EndToEndRun) -> None:
    """Tampering and rewriting MANIFEST.sha256 to match still fails: the signature covers the manifest."""
    from conformance.reporting.manifest import MANIFEST, manifest_text

    copy = _tampered_copy(run, "tampered-manifest")
    (copy / MANIFEST).write_text(manifest_text(copy), encoding="utf-8")
    done = _verify_report(copy, run.public_key)
    assert (1, True) == (done.returncode, done.stderr.startswith("BAD SIGNATURE:"))


def test_the_scan_knows_the_secrets_the_run_used(run: EndToEndRun) -> None:
    """The recorder saw the emulator's bootstrap secret and the tokens and client secrets the run registered."""
    assert (True, True) == (len(run.bootstrap_secret) >= 16, len(run.registered) >= 20)


def test_no_secret_or_token_in_any_report_file(run: EndToEndRun) -> None:
    """Every file under the report directory: no secret or token of the run, no JWT, no unmasked secret field."""
    pairs = {(run.bootstrap_id, run.bootstrap_secret)} if run.bootstrap_secret else set()
    assert [] == sorted(set(secret_hits(run.report_dir, run.secrets, pairs)))


def test_the_scan_finds_planted_secrets(tmp_path: Path) -> None:
    """The scanner is not blind: a planted secret, its Basic credential, a JWT and a token field are all found."""
    secret = "planted-bootstrap-secret-4711"
    basic = base64.b64encode(f"ctk-bootstrap:{secret}".encode()).decode()
    (tmp_path / "a.json").write_text(json.dumps({"detail": f"x{secret}y", "access_token": "opaque-token-123",
                                                 "client_secret": "***"}))
    (tmp_path / "b.txt").write_text(f"Authorization: Basic {basic}\nBearer eyJhbGciOi.eyJzdWIiOiJ4In0.c2ln\n")
    (tmp_path / "c.log").write_text("curl --data-raw 'grant_type=refresh_token&refresh_token=r3fr3sh-v4lue'\n")
    hits = secret_hits(tmp_path, {secret}, {("ctk-bootstrap", secret)})
    assert ["a.json: a secret or token of the run", "a.json: unmasked access_token value",
            "b.txt: JWT-shaped string", "b.txt: a secret or token of the run",
            "c.log: unmasked refresh_token value"] == sorted(hits)
