"""The kit's emulator: a faithful, persistent Identity Service + legacy Access on loopback.

It imports nothing from the rest of the ``conformance`` package (see ARCHITECTURE.md): the suite reaches it over
HTTP only, so a bug cannot be shared by both and hidden. ``create_app(Settings(...))`` is the ASGI app factory;
``conformance emulator`` / ``python -m conformance.emulator`` serve it with uvicorn.
"""

from conformance.emulator.app import create_app
from conformance.emulator.settings import Settings

__all__ = ["Settings", "create_app"]
