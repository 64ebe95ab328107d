"""scim2-server 0.8.3's own ASGI application, served on the emulator's uvicorn settings (``bench.ceiling.serve``).

The ``scim2-server`` command serves through wsgiref (one thread per request, HTTP/1.0); this variant shows the same
SCIM implementation on the emulator's server stack, so the comparison is not only a comparison of HTTP servers.
No bearer token is checked (the peer does strictly less work than the emulator per request).
"""

from __future__ import annotations

from scim2_models import ScimProvider
from scim2_server.applications.asgi import ASGIApplication
from scim2_server.memory import AsyncInMemoryStorage
from scim2_server.service import ScimService
from scim2_server.utils import load_default_resource_types, load_default_schemas, load_default_service_provider_config

from bench.ceiling import serve_from_command_line


def app() -> ASGIApplication:
    """The default User/Group provider over in-memory storage (what the command builds, minus WSGI)."""
    provider = ScimProvider.from_discovery(load_default_schemas().values(), load_default_resource_types().values(),
                                           config=load_default_service_provider_config())
    return ASGIApplication(AsyncInMemoryStorage(), provider, service=ScimService(provider, secret="bench"))


def main() -> None:
    """``python -m bench.peer_asgi --port P``."""
    serve_from_command_line(app(), __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
