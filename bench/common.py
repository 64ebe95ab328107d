"""What every benchmark shares: its run settings, the printed figures, ratios and the PASS/MISS summary lines."""

from __future__ import annotations

import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

SIZES = ("smoke", "full")


@dataclass
class Bench:
    """One invocation of the harness: the size, the load driver, a scratch directory and the summary lines."""

    size: str
    driver: str
    workdir: Path
    summaries: list[str] = field(default_factory=list)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)  # emulators' bootstrap secret
    cache: dict[str, Any] = field(default_factory=dict)  # what one benchmark prepared and another may reuse
    patches: tuple[str, ...] = ()  # proposed emulator fixes applied at run time (bench/patched.py)

    @property
    def smoke(self) -> bool:
        """The tiny size that only proves the harness runs (its figures mean nothing)."""
        return self.size == "smoke"

    def pick(self, smoke: Any, full: Any) -> Any:
        """The smoke or the full value of a parameter."""
        return smoke if self.smoke else full

    def section(self, title: str) -> None:
        """A benchmark's heading."""
        say(f"\n== {title}")

    def ratio(self, label: str, numerator: float, denominator: float, percent: bool = False) -> float:
        """Print ``ratio <label> = <value>`` (``x`` or ``%``) and return the plain quotient."""
        value = numerator / denominator if denominator else float("nan")
        shown = f"{value * 100:.0f} %" if percent else f"{value:.2f}x"
        say(f"  ratio {label} = {shown}")
        return value

    def target(self, name: str, holds: bool, figures: str) -> None:
        """The one summary line of a target: ``TARGET <name> PASS|MISS <figures>``."""
        tag = " [smoke size: not a measurement]" if self.smoke else ""
        line = f"TARGET {name:<26} {'PASS' if holds else 'MISS'}  {figures}{tag}"
        self.summaries.append(line)
        say(line)

    def info(self, name: str, figures: str) -> None:
        """A summary line of a measurement that has no target (reported for the record)."""
        line = f"TARGET {name:<26} INFO  {figures}"
        self.summaries.append(line)
        say(line)


def say(text: str) -> None:
    """Print now (the output is read while long benchmarks run)."""
    print(text, flush=True)


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds with sensible precision."""
    ms = seconds * 1000
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:.0f} ms"


def machine() -> list[str]:
    """Where the numbers came from: CPU, cores, memory, OS, Python and the server stack's versions."""
    cpu = _cpu_model()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    stack = ", ".join(f"{name} {_version(name)}" for name in ("starlette", "uvicorn", "h11", "scim2-server",
                                                              "joserfc", "cryptography"))
    return [f"machine: {cpu}, {os.cpu_count()} cores, {mem_gib:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}",
            f"python {platform.python_version()} ({sys.implementation.name}); {stack}; wrk: {_wrk_version()}"]


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match[1].strip() if match else "unknown CPU"


def _version(name: str) -> str:
    try:
        return version(name)
    except Exception:
        return "absent"


def _wrk_version() -> str:
    if not shutil.which("wrk"):
        return "not installed"
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()[:1]
    return first[0].split(" Copyright")[0] if first else "installed"
