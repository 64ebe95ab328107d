"""How the suite reaches a system under test: config, HTTP client, auth, resource tracking (ledgers, leftovers,
the end-of-run sweep and `conformance cleanup`), redaction.

Nothing here imports ``conformance.emulator``: the suite reaches the emulator only over HTTP.
"""
