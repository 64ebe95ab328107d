"""Root conftest of the kit's own test run.

The kit's pytest plugin (options, requirement marker, target, fixtures, reporting) is registered through the
``pytest11`` entry point, so it is active here and in any directory; this file only scopes collection.
"""

collect_ignore = ["bench", "reports", "build", "dist"]
