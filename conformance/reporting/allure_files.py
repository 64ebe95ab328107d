"""Files the kit adds to ``allure-results/``: ``environment.properties`` and ``categories.json``.

Labels per test (epic = API family, feature = requirement area, story = ID + title, severity from the level,
and ``requirement``/``level``/``source``/``profile`` labels) are set by ``conformance.plugin.reporting``;
this module holds the mapping so the plugin and the unit tests share it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.redaction import REDACTOR
from conformance.requirements import Level, Requirement

SEVERITY = {Level.MUST: "critical", Level.SHOULD: "normal", Level.MAY: "minor"}
ASSUMED_PREFIX = "[assumed requirement, live tenant: review the assumption] "

CATEGORIES: list[dict[str, Any]] = [
    {"name": "Target unavailable", "matchedStatuses": ["broken", "failed"],
     "messageRegex": r"(?s).*TargetUnavailable.*"},
    {"name": "Kit error", "matchedStatuses": ["broken"],
     "messageRegex": r"(?s).*(KitError|ConfigError|CatalogueError).*"},
    {"name": "Assumption to review", "matchedStatuses": ["failed"],
     "messageRegex": r"(?s).*\[assumed requirement, live tenant.*"},
    {"name": "MUST failure", "matchedStatuses": ["failed"],
     "messageRegex": r"(?s).*\[[A-Z]+(-[A-Z]+)*-\d{3} MUST\].*"},
    {"name": "SHOULD deviation", "matchedStatuses": ["failed"],
     "messageRegex": r"(?s).*\[[A-Z]+(-[A-Z]+)*-\d{3} (SHOULD|MAY)\].*"},
]


def labels_for(requirement: Requirement, profile: str) -> list[tuple[str, str]]:
    """The allure labels of one requirement, as ``(label type, value)`` pairs."""
    return [
        ("epic", requirement.family),
        ("feature", requirement.area),
        ("story", story_for(requirement)),
        ("requirement", requirement.id),
        ("level", requirement.level.value),
        ("source", requirement.source),
        ("profile", profile),
    ]


def story_for(requirement: Requirement) -> str:
    """``TOKEN-004 expires_in equals ...``: the ID and the short text."""
    return f"{requirement.id} {requirement.title}"


def severity_for(requirements: list[Requirement]) -> str:
    """The strongest level among a test's requirements decides its severity."""
    order = [Level.MUST, Level.SHOULD, Level.MAY]
    strongest = min((order.index(r.level) for r in requirements), default=1)
    return SEVERITY[order[strongest]]


def environment_properties(values: dict[str, str]) -> str:
    """Java ``.properties`` text (allure's environment widget), values redacted."""
    lines = [f"{_escape(key, is_key=True)}={_escape(REDACTOR.text(str(value)))}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _escape(text: str, *, is_key: bool = False) -> str:
    text = text.replace("\\", "\\\\").replace("\n", "\\n")
    if is_key:
        for char in (" ", "=", ":"):
            text = text.replace(char, "\\" + char)
    return text


def environment_values(target: dict[str, Any], versions: dict[str, Any]) -> dict[str, str]:
    """The key/values allure shows: kit version, target host, profile, MIME phase, Python, libraries, specs."""
    values = {
        "kit.version": str(versions["kit_version"]),
        "target.host": str(target.get("host", "unknown")),
        "target.emulator": str(target.get("is_emulator", "unknown")).lower(),
        "profile": str(target.get("profile", "omnissa")),
        "mime.phase": str(target.get("mime_phase", "auto")),
        "python.version": str(versions["python"]),
    }
    values.update({f"lib.{name}": version for name, version in versions["libraries"].items()})
    values.update({f"spec.{name}": f"sha256:{digest}" for name, digest in versions["spec_digests"].items()})
    return values


def write_allure_extras(results_dir: Path, target: dict[str, Any], versions: dict[str, Any]) -> None:
    """Drop ``environment.properties`` and ``categories.json`` into an allure results directory."""
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "environment.properties").write_text(
        environment_properties(environment_values(target, versions)), encoding="utf-8")
    (results_dir / "categories.json").write_text(json.dumps(CATEGORIES, indent=2) + "\n", encoding="utf-8")
