"""Root conftest of the kit's own test run.

The kit's pytest plugin (options, requirement marker, target, fixtures, reporting) is registered through the
``pytest11`` entry point, so it is active here and in any directory; this file only scopes collection and keeps
bytecode caching on for the pytest and emulator processes the meta, safety and reliability tests start: a
``PYTHONDONTWRITEBYTECODE`` environment makes every one of them recompile (and re-rewrite the assertions of) the
kit, schemathesis and hypothesis, about 2.5 s per start on a 2-core machine.
"""

import os
import sys

collect_ignore = ["bench", "reports", "build", "dist"]

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
