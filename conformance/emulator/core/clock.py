"""The emulator's clock: wall time plus an offset the control surface can advance (token expiry without waiting)."""

from __future__ import annotations

import threading
import time


class Clock:
    """Seconds since the epoch, as the emulator sees them."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current (possibly advanced) time."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the new time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    def reset(self) -> None:
        """Back to wall time."""
        with self._lock:
            self._offset = 0.0
