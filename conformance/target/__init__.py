"""How the suite reaches a system under test: config, HTTP client, auth, resource tracking, redaction.

Nothing here imports ``conformance.emulator``: the suite reaches the emulator only over HTTP.
"""
