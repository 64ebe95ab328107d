"""``python -m conformance.emulator``: what the suite's launcher starts."""

from conformance.emulator.cli import main

raise SystemExit(main())
