"""Sample data of the reporting unit tests: a small catalogue and fake run records (some carrying secrets)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conformance.reporting.records import RunRecords, TestRecord, append_line
from conformance.requirements import Catalogue, load_catalogue_from

CLIENT_SECRET = "s3cr3t-Client-Value-9f8e7d"
ACCESS_TOKEN = "opaque-access-token-6a5b4c3d2e1f"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjdGstYWRtaW4ifQ.c2lnbmF0dXJlLWJ5dGVz"
TODAY = dt.date(2025, 6, 23)

CATALOGUE_TOML = {
    "token.toml": ('family = "token"\n', [
        ("TOKEN-001", "Token endpoint answers 200 with a bearer token", "MUST", "vendor-doc"),
        ("TOKEN-002", "Responses carrying tokens send Cache-Control no-store", "SHOULD", "rfc"),
        ("TOKEN-003", "Expired tokens are rejected with invalid_token", "MUST", "assumed"),
        ("TOKEN-004", "Discovery lists the revocation endpoint", "MAY", "rfc"),
    ]),
    "scim.toml": ('family = "scim"\n', [
        ("SCIM-001", "Create answers 201 Created with the new resource", "MUST", "rfc"),
        ("SCIM-002", "Filtering by userName eq works", "MUST", "rfc"),
        ("SCIM-003", "Okta deactivation with active=false is accepted", "MUST", "assumed"),
    ]),
}


def write_catalogue(directory: Path) -> Catalogue:
    """Write the fake catalogue as TOML files and load it the way the kit does."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, (header, entries) in CATALOGUE_TOML.items():
        blocks = [header]
        for rid, title, level, source in entries:
            blocks.append(f'[[requirement]]\nid = "{rid}"\ntitle = "{title}"\nlevel = "{level}"\nsource = "{source}"\n'
                          f'ref = "RFC 6749 §5.1"\ntext = "The sentence that {rid} enforces."\n')
        (directory / name).write_text("\n".join(blocks))
    return load_catalogue_from(directory)


def secret_evidence() -> dict[str, object]:
    """An exchange whose raw values hold the client secret and tokens (as a careless check might record)."""
    return {
        "method": "POST",
        "url": f"https://tenant.example.com/acs/token?client_secret={CLIENT_SECRET}",
        "request_headers": {"Authorization": f"Bearer {ACCESS_TOKEN}",
                            "Content-Type": "application/x-www-form-urlencoded"},
        "request_body": f"grant_type=client_credentials&client_secret={CLIENT_SECRET}",
        "status": 200,
        "response_headers": {"Content-Type": "application/json"},
        "response_body": json.dumps({"access_token": JWT, "token_type": "Bearer", "note": ACCESS_TOKEN}),
    }


def sample_records(*, emulator: bool = False) -> RunRecords:
    """A run with a pass, a MUST failure (with secret-laden evidence), a deviation, a skip and an error."""
    tests = [
        TestRecord("conformance/suite/test_token.py::test_token_ok", "passed", ["TOKEN-001"]),
        TestRecord("conformance/suite/test_token.py::test_cache_headers", "failed", ["TOKEN-001", "TOKEN-002"],
                   failed_requirement="TOKEN-002", message=f"Cache-Control missing (token {ACCESS_TOKEN})",
                   evidence=[secret_evidence()]),
        TestRecord("conformance/suite/test_token.py::test_expiry", "skipped", ["TOKEN-003"],
                   skip_reason="needs the emulator's control surface (clock); a live tenant has none"),
        TestRecord("conformance/suite/test_scim.py::test_create", "failed", ["SCIM-001"],
                   failed_requirement="SCIM-001", message="expected 201, got 200", evidence=[secret_evidence()]),
        TestRecord("conformance/suite/test_scim.py::test_filter", "skipped", ["SCIM-002"],
                   skip_reason="no admin client credentials (--client-id/--client-secret)"),
        TestRecord("conformance/suite/test_scim.py::test_okta", "failed", ["SCIM-003"],
                   failed_requirement="SCIM-003", message="active=false answered 400"),
    ]
    target = {"base_url": "https://tenant.example.com", "host": "tenant.example.com", "is_emulator": emulator,
              "profile": "omnissa", "mime_phase": "transition", "run_id": "0a1b2c3d"}
    return RunRecords(tests=tests, session_start={"started": "2025-06-23T03:17:00+00:00", "profile": "omnissa"},
                      session_finish={"finished": "2025-06-23T03:19:30+00:00", "exitstatus": 1, "target": target})


def write_results(report_dir: Path, records: RunRecords) -> None:
    """Write records as ``results.jsonl`` through the plugin's writer (which redacts each line)."""
    lines = [{"kind": "session-start", **records.session_start}]
    lines += [record.as_line() for record in records.tests]
    lines.append({"kind": "session-finish", **records.session_finish})
    for line in lines:
        append_line(report_dir / "results.jsonl", line)
