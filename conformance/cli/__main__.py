"""``python -m conformance.cli``: the same as the ``conformance`` console script."""

from conformance.cli import main

raise SystemExit(main())
