"""Find what a run left on a target: every resource whose name carries the run prefix ``ctk-<run-id>-``.

Used by the end-of-session leak check and by ``conformance cleanup --run-id ID``. Only resources whose
name starts with the prefix are ever listed, so nothing the kit did not create can be touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from conformance.target.client import TargetClient

SCIM_BASE = "/usergroup/scim/v2"


@dataclass(frozen=True)
class Leftover:
    """A resource named with the run prefix that is still on the target."""

    kind: str
    name: str
    delete_path: str


def _items(body: Any, key: str) -> list[dict[str, Any]]:
    value = body.get(key, []) if isinstance(body, dict) else []
    return [item for item in value if isinstance(item, dict)]


def _oauth2_clients(client: TargetClient, token: str, prefix: str) -> list[Leftover]:
    found, start = [], 1
    while True:
        response = client.get("/acs/broker/oauth2-clients", token=token,
                              params={"start_index": start, "page_size": 100}, headers={"Accept": "application/json"})
        items = _items(response.json(), "items") if response.status_code == 200 else []
        names = [str(i.get("client_id", "")) for i in items]
        found += [Leftover("oauth2-client", name, f"/acs/broker/oauth2-clients/{quote(name)}")
                  for name in names if name.startswith(prefix)]
        if len(items) < 100:
            return found
        start += 100


def _named(client: TargetClient, token: str, prefix: str, path: str, kind: str, name_key: str) -> list[Leftover]:
    response = client.get(path, token=token, headers={"Accept": "application/json"})
    items = _items(response.json(), "items") if response.status_code == 200 else []
    return [Leftover(kind, str(i[name_key]), f"{path}/{i['id']}")
            for i in items if str(i.get(name_key, "")).startswith(prefix) and "id" in i]


def _scim_users(client: TargetClient, token: str, prefix: str) -> list[Leftover]:
    response = client.get(f"{SCIM_BASE}/Users", token=token,
                          params={"filter": f'userName sw "{prefix}"', "count": 200, "attributes": "userName"})
    items = _items(response.json(), "Resources") if response.status_code == 200 else []
    return [Leftover("scim-user", str(i.get("userName")), f"{SCIM_BASE}/Users/{i['id']}") for i in items if "id" in i]


def find_leftovers(client: TargetClient, token: str, prefix: str) -> list[Leftover]:
    """Every resource on the target named with ``prefix`` (clients, directories, IdPs, SCIM users)."""
    if not prefix.startswith("ctk-") or len(prefix) < 6:
        raise ValueError(f"refusing to search with an unsafe prefix {prefix!r}")
    return (_oauth2_clients(client, token, prefix)
            + _named(client, token, prefix, "/usergroup/broker/directories", "directory", "name")
            + _named(client, token, prefix, "/federation/broker/identity-providers", "identity-provider", "idp_name")
            + _scim_users(client, token, prefix))
