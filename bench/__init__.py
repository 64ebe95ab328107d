"""Performance benchmarks of the emulator and of the suite's own overhead, each measured against a peer in the
same run. Run them all with ``python -m bench`` (see ``bench/README.md``); nothing here is part of the test run."""
