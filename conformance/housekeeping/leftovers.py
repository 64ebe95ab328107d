"""Find what a run left on a target: every resource whose name carries the run prefix ``ctk-<run-id>-``.

Used by the end-of-session leak check and by ``conformance cleanup --run-id ID``. Only resources whose
name starts with the prefix are ever listed (the filter of the server is checked again here, case-exactly),
so nothing the kit did not create can be touched. A listing the check needs that fails is a
``LeakCheckError``: a leak check that cannot see must never report "clean". Directories the target is
already deleting (``delete_in_progress``, asynchronous 202 deletes) are not leftovers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from conformance.errors import KitError
from conformance.housekeeping.tracking import GONE_STATUSES, TrackedResource, delete_status
from conformance.target.client import TargetClient

SCIM_BASE = "/usergroup/scim/v2"
CLIENTS = "/acs/broker/oauth2-clients"
DIRECTORIES = "/usergroup/broker/directories"
IDPS = "/federation/broker/identity-providers"
LEGACY_DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
ANY = {"Accept": "*/*"}  # every MIME phase answers */* (application/json is refused in the legacy phase)
PAGE_SIZE = 100
MAX_PAGES = 100
FAMILIES = ("oauth2-clients", "directories", "legacy", "scim")
DELETE_ORDER = ("identity-provider", "scim-group", "scim-user", "oauth2-client", "legacy-directory", "directory")
"""IdPs reference directories, members reference users: the referring kinds go first."""


class LeakCheckError(KitError):
    """A listing the leak check needs failed: leftovers could not be looked for."""


@dataclass(frozen=True)
class Leftover:
    """A resource named with the run prefix that is still on the target."""

    kind: str
    name: str
    delete_path: str


def _listing(client: TargetClient, token: str, path: str, params: dict[str, Any] | None = None) -> Any:
    """The JSON body of a list; ``None`` when the collection does not exist there (404)."""
    response = client.get(path, token=token, params=params, headers=ANY)
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise LeakCheckError(f"leak check: GET {path} answered {response.status_code}; leftovers not verified")
    try:
        return response.json()
    except ValueError:
        raise LeakCheckError(f"leak check: GET {path} did not answer JSON; leftovers not verified") from None


def _items(body: Any, key: str) -> list[dict[str, Any]]:
    value = body.get(key, []) if isinstance(body, dict) else []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _oauth2_clients(client: TargetClient, token: str, prefix: str) -> list[Leftover]:
    found: list[Leftover] = []
    for page in range(1, MAX_PAGES + 1):  # start_index is a 1-based page number
        body = _listing(client, token, CLIENTS, {"start_index": page, "page_size": PAGE_SIZE})
        names = [str(item.get("client_id", "")) for item in _items(body, "items")]
        found += [Leftover("oauth2-client", name, f"{CLIENTS}/{quote(name, safe='')}")
                  for name in names if name.startswith(prefix)]
        total_pages = body.get("totalPages") if isinstance(body, dict) else None
        if len(names) < PAGE_SIZE or (isinstance(total_pages, int) and page >= total_pages):
            break
    return found


def _named(client: TargetClient, token: str, prefix: str, path: str, kind: str, keys: tuple[str, ...],
           params: dict[str, Any] | None = None, suffix: str = "") -> list[Leftover]:
    """Items of a one-page list whose ``keys[0]`` starts with the prefix; ``keys[1]`` is the id, ``keys[2]`` the
    "being deleted" flag."""
    name_key, id_key, deleting_key = keys
    return [Leftover(kind, str(item[name_key]), f"{path}/{item[id_key]}{suffix}")
            for item in _items(_listing(client, token, path, params), "items")
            if str(item.get(name_key, "")).startswith(prefix) and item.get(id_key) and not item.get(deleting_key)]


def _scim(client: TargetClient, token: str, prefix: str, base: str, resource: str, attribute: str) -> list[Leftover]:
    kind = "scim-user" if resource == "Users" else "scim-group"
    found: list[Leftover] = []
    start = 1
    for _ in range(MAX_PAGES):
        params = {"filter": f'{attribute} sw "{prefix}"', "startIndex": start, "count": PAGE_SIZE,
                  "attributes": attribute}
        body = _listing(client, token, f"{base}/{resource}", params)
        items = _items(body, "Resources")
        found += [Leftover(kind, str(item.get(attribute)), f"{base}/{resource}/{item['id']}") for item in items
                  if str(item.get(attribute, "")).startswith(prefix) and item.get("id")]
        total = body.get("totalResults") if isinstance(body, dict) else None
        start += len(items)
        if not items or not isinstance(total, int) or start > total:
            break
    return found


def find_leftovers(client: TargetClient, token: str, prefix: str, *, families: tuple[str, ...] = FAMILIES,
                   scim_base: str = SCIM_BASE) -> list[Leftover]:
    """Every resource on the target named with ``prefix`` (clients, directories, IdPs, legacy directories, SCIM
    users and groups), limited to ``families``."""
    if not prefix.startswith("ctk-") or len(prefix) < 6:
        raise ValueError(f"refusing to search with an unsafe prefix {prefix!r}")
    found: list[Leftover] = []
    if "oauth2-clients" in families:
        found += _oauth2_clients(client, token, prefix)
    if "directories" in families:
        found += _named(client, token, prefix, DIRECTORIES, "directory", ("name", "id", "delete_in_progress"))
        found += _named(client, token, prefix, IDPS, "identity-provider", ("idp_name", "id", "delete_in_progress"))
    if "legacy" in families:
        found += _named(client, token, prefix, LEGACY_DIRECTORIES, "legacy-directory",
                        ("name", "directoryId", "deleteInProgress"), {"includeJitDirectories": "true"},
                        "?asyncDelete=true")
    if "scim" in families:
        found += _scim(client, token, prefix, scim_base, "Users", "userName")
        found += _scim(client, token, prefix, scim_base, "Groups", "displayName")
    return found


def remove_leftovers(client: TargetClient, token: str, leftovers: list[Leftover]) -> list[tuple[Leftover, int]]:
    """Delete leftovers, referring kinds first; return the ones that could not be deleted, with the status."""
    ordered = sorted(leftovers, key=lambda item: DELETE_ORDER.index(item.kind) if item.kind in DELETE_ORDER else 0)
    failed = []
    for leftover in ordered:
        status = delete_status(client, token, TrackedResource(leftover.kind, leftover.delete_path))
        if status not in GONE_STATUSES:
            failed.append((leftover, status))
    return failed


def describe(leftovers: list[Leftover], limit: int = 10) -> str:
    """``kind name, kind name, ... and N more`` for one line of output."""
    shown = ", ".join(f"{item.kind} {item.name}" for item in leftovers[:limit])
    return shown + (f" and {len(leftovers) - limit} more" if len(leftovers) > limit else "")
