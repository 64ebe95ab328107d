"""Admin-envelope errors and small response helpers of the directories family.

``CODES`` lists the family's own dotted codes (the generic ``request.*`` codes come from core/errors.py).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from conformance.emulator.core.errors import AdminError
from conformance.emulator.core.tokens import base_url

CODES: dict[str, str] = {
    "directory.not.found": "The directory {id} was not found.",
    "directory.name.already.exists": "A directory named {name} already exists.",
    "directory.domain.already.exists": "The domain {domain} already belongs to a directory.",
    "directory.delete.in.progress": "The directory {id} is being deleted.",
    "directory.sync.client.not.found": "The sync client configuration for the directory {id} was not found.",
    "identity.provider.not.found": "The identity provider {id} was not found.",
    "identity.provider.name.already.exists": "An identity provider named {name} already exists.",
}


def fail(status: int, code: str, **parameters: Any) -> AdminError:
    """An admin-envelope error with one of the family's codes (message filled from ``parameters``)."""
    values = {key: str(value) for key, value in parameters.items()}
    return AdminError(status, code, CODES[code].format_map(values), values)


def invalid(field: str, detail: str) -> AdminError:
    """400 ``request.field.invalid`` naming the field."""
    return AdminError(400, "request.field.invalid", parameters={"field": field, "detail": detail})


def required(field: str) -> AdminError:
    """400 ``request.field.required`` naming the field."""
    return AdminError(400, "request.field.required", parameters={"field": field})


def json_object(body: Any) -> dict[str, Any]:
    """The request body, which must be a JSON object."""
    if not isinstance(body, dict):
        raise AdminError(400, "request.body.invalid", parameters={"detail": "a JSON object is required"})
    return body


def absolute(request: Request, path: str) -> str:
    """The absolute URL of ``path`` on the host the client addressed."""
    return base_url(request) + path


def links(request: Request, path: str) -> dict[str, dict[str, str]]:
    """HATEOAS ``_links`` with the ``self`` link of ``path``."""
    return {"self": {"href": absolute(request, path)}}
