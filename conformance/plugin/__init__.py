"""Small pytest plugin modules, loaded by ``conformance.pytest_plugin``."""
