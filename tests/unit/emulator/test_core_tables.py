"""The emulator's own copies of the contract tables reproduce every row of specs/ (and nothing else)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conformance.emulator.core import mime, policy

SPECS = Path(__file__).resolve().parents[3] / "specs"


def _load(name: str) -> dict:
    with (SPECS / name).open("rb") as handle:
        return tomllib.load(handle)


def test_access_policy_matrix_matches_the_spec_table():
    """Every operation of specs/access-policy.toml has the same method, path and allowed rule sets in the emulator."""
    expected = {(op["id"], op["method"], op["path"], frozenset(op["allowed"]))
                for op in _load("access-policy.toml")["operation"]}
    actual = {(op, method, path, frozenset(policy.RULE_SETS[c] for c in codes))
              for op, method, path, codes in policy.MATRIX}
    assert expected == actual


def test_mime_vendor_types_match_the_spec_table():
    """Each admin operation's vendor request/response types are the ones of specs/mime-phases.toml."""
    expected = {op["id"]: (op["request_vendor_type"], op["response_vendor_type"])
                for op in _load("mime-phases.toml")["operation"]}
    assert expected == mime.VENDOR_TYPES


def test_mime_rules_match_the_spec_table():
    """Each (phase, request, accept) cell has the spec's status, response type and deprecation flag."""
    table = _load("mime-phases.toml")
    expected = {(r["phase"], r["request"], r["accept"]): (r["status"], r["response_type"], r["deprecation"])
                for r in table["rule"]}
    assert expected == mime.RULES
    link_target = mime.DEPRECATION_LINK.split(">")[0][1:]
    assert (table["deprecation"], table["deprecation_link"]) == (mime.DEPRECATION, link_target)


def test_every_policy_operation_has_a_mime_row_unless_scim():
    """The MIME table covers exactly the admin (non-SCIM) operations of the policy matrix."""
    admin_operations = {op for op, _, _, _ in policy.MATRIX if not op.startswith("scim.yaml#")}
    assert admin_operations == set(mime.VENDOR_TYPES)
