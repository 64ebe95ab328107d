"""Field rules of an identity provider (specs/directories.yaml BrokerIdentityProviderCreate / ...Patch).

Profiles (``oidc_profile``, ``saml_profile``) are checked against a table of fields; on PATCH they are merged field
by field (the vendor's exception to "objects are replaced wholesale"), while ``directory_list``,
``trust_certificates`` and ``auth_type_list`` are replaced wholesale. A profile that does not match ``idp_type`` is
checked but not kept ("It must be present only if idp_type=OIDC and is otherwise ignored").
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from conformance.emulator.directories.errors import invalid, required

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
UNSPECIFIED_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
BINDINGS = ("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
DEFAULT_AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified"
MAX_CHAINS, MAX_CERTS_PER_CHAIN = 3, 5


@dataclass(frozen=True)
class Field:
    """One profile field: its kind, default, and whether it is required / may be cleared with an empty value."""

    kind: str  # text | uri | bool | map | texts | choice | identity | slo
    default: Any = None
    required: bool = False
    maximum: int | None = None
    options: tuple[str, ...] = ()


OIDC: dict[str, Field] = {
    "configuration_url": Field("uri", required=True), "client_id": Field("text", required=True),
    "client_secret": Field("text", required=True), "oidc_user_attribute_mapping": Field("map"),
    "authorize_params": Field("map"), "token_params": Field("map"), "pass_through_claims": Field("bool", False),
    "open_id_user_identifier_attribute": Field("text", "sub"),
    "internal_user_identifier_attribute": Field("text", "ExternalId"),
    "login_hint_user_attribute": Field("text", "userName"), "send_login_hint_in_request": Field("bool", False),
}
SAML: dict[str, Field] = {
    "saml_metadata": Field("text", maximum=102400), "saml_metadata_url": Field("uri"),
    "saml_name_id_user_attribute_mapping": Field("map"), "saml_identity_user_attribute_mapping": Field("identity"),
    "request_name_id_format_type": Field("text", UNSPECIFIED_NAME_ID),
    "request_preferred_binding": Field("choice", options=BINDINGS), "send_subject_in_request": Field("bool", False),
    "send_subject_with_mapping": Field("bool", False), "saml_slo_configuration": Field("slo"),
    "jit_group_membership_attr_name": Field("text"), "saml_pass_through_claim_names": Field("texts"),
}


def _text(name: str, value: Any, maximum: int | None = None, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise invalid(name, "must be a " + ("string" if empty else "non-empty string"))
    if maximum is not None and len(value) > maximum:
        raise invalid(name, f"must have at most {maximum} characters")
    return value


def _value(name: str, spec: Field, value: Any) -> Any:
    kind = spec.kind
    if kind == "text":
        return _text(name, value, spec.maximum, empty=not spec.required)
    if kind == "uri":
        if not isinstance(value, str) or not URI.fullmatch(value):
            raise invalid(name, "must be an absolute URI")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise invalid(name, "must be a boolean")
        return value
    if kind == "map":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise invalid(name, "must be an object of strings")
        return dict(value)
    if kind == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid(name, "must be an array of strings")
        return list(value)
    if kind == "choice":
        if value not in spec.options:
            raise invalid(name, "must be one of " + ", ".join(spec.options))
        return value
    return _identity(name, value) if kind == "identity" else _slo(name, value)


def _identity(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise invalid(name, "must be an object")
    for key in ("saml_attribute_format", "saml_attribute_name"):
        if key not in value:
            raise required(f"{name}.{key}")
        _text(f"{name}.{key}", value[key])
    if "idm_attribute" in value:
        _text(f"{name}.idm_attribute", value["idm_attribute"])
    return {k: value[k] for k in ("saml_attribute_format", "saml_attribute_name", "idm_attribute") if k in value}


def _slo(name: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        raise invalid(name, "must be an object")
    for key in ("slo_url", "relay_state_param"):
        if key in value:
            _text(f"{name}.{key}", value[key])
    if "enabled" in value and not isinstance(value["enabled"], bool):
        raise invalid(f"{name}.enabled", "must be a boolean")
    if value.get("enabled", True) is False:
        return None  # enabled=false removes the SLO configuration (enabled itself is write-only)
    return {k: value[k] for k in ("slo_url", "relay_state_param") if k in value}


def profile(name: str, value: Any, fields: dict[str, Field], current: dict[str, Any] | None) -> dict[str, Any]:
    """A checked profile, merged over ``current`` (None on create); required fields must be given, defaults fill
    the rest."""
    if not isinstance(value, dict):
        raise invalid(name, "must be an object")
    result = dict(current or {})
    for key, given in value.items():
        spec = fields.get(key)
        if spec is None:
            continue
        checked = None if given in ("", {}, []) and not spec.required else _value(f"{name}.{key}", spec, given)
        if checked is None:
            result.pop(key, None)
        else:
            result[key] = checked
    for key, spec in fields.items():
        if spec.required and key not in value:  # the schema requires them on PATCH too; the rest is merged
            raise required(f"{name}.{key}")
        if spec.default is not None and key not in result:
            result[key] = spec.default
    return result


def directory_list(value: Any) -> list[dict[str, str]]:
    """``[{"id": uuid}]`` (``urn:uuid:`` prefixes accepted), duplicates dropped."""
    if not isinstance(value, list):
        raise invalid("directory_list", "must be an array of {id}")
    ids: list[str] = []
    for index, item in enumerate(value):
        raw = item.get("id") if isinstance(item, dict) else None
        try:
            canonical = str(uuid.UUID(raw.removeprefix("urn:uuid:"))) if isinstance(raw, str) else None
        except ValueError:
            canonical = None
        if canonical is None:
            raise invalid(f"directory_list[{index}].id", "must be a directory UUID")
        if canonical not in ids:
            ids.append(canonical)
    return [{"id": directory_id} for directory_id in ids]


def trust_certificates(value: Any) -> list[str]:
    """At most 3 PEM chains of at most 5 certificates each."""
    if not isinstance(value, list) or not all(isinstance(chain, str) for chain in value):
        raise invalid("trust_certificates", "must be an array of PEM strings")
    if len(value) > MAX_CHAINS:
        raise invalid("trust_certificates", f"may hold at most {MAX_CHAINS} chains")
    if any(chain.count("-----BEGIN CERTIFICATE-----") > MAX_CERTS_PER_CHAIN for chain in value):
        raise invalid("trust_certificates", f"a chain may hold at most {MAX_CERTS_PER_CHAIN} certificates")
    return list(value)


def auth_types(value: Any, current: list[dict[str, str]]) -> list[dict[str, str]]:
    """At least one auth method; an entry keeps its ``id`` when it names an existing method, else gets a new one."""
    if not isinstance(value, list) or not value:
        raise invalid("auth_type_list", "must be a non-empty array")
    known = {item["id"] for item in current}
    result = []
    for index, item in enumerate(value):
        name = f"auth_type_list[{index}]"
        if not isinstance(item, dict):
            raise invalid(name, "must be an object")
        for key in ("auth_method_name", "saml_authn_context"):
            if key not in item:
                raise required(f"{name}.{key}")
        method = _text(f"{name}.auth_method_name", item["auth_method_name"], empty=False)
        context = _text(f"{name}.saml_authn_context", item["saml_authn_context"])
        result.append({"id": _auth_type_id(name, item.get("id"), known, result), "auth_method_name": method,
                       "saml_authn_context": context})
    return result


def _auth_type_id(name: str, given: Any, known: set[str], taken: list[dict[str, str]]) -> str:
    """On create (nothing known) ids are read-only and ignored; on PATCH a given id must name an existing method."""
    if not known or given is None:
        return str(uuid.uuid4())
    if not isinstance(given, str) or given not in known or given in {item["id"] for item in taken}:
        raise invalid(f"{name}.id", "names no (other) auth method of this identity provider")
    return given


def default_auth_types(idp_name: str) -> list[dict[str, str]]:
    """The auth method every new identity provider gets when none is given."""
    return [{"id": str(uuid.uuid4()), "auth_method_name": f"{idp_name} authentication",
             "saml_authn_context": DEFAULT_AUTHN_CONTEXT}]
