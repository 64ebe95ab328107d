"""The secret *values* a run has seen, and masking them in text: whole, in any letter case, and as the
``head...tail`` fragments pytest leaves when it shortens a long value (assertion messages, ``--showlocals``).

Matching is on lower-cased text with ``str.find`` (no giant regular expression: a run registers hundreds of
tokens). For fragments, every value is indexed by its first and its last ``MIN_FRAGMENT`` characters, so a
boundary costs one dictionary lookup per character, not one search per value.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict

MASK = "***"
ELLIPSIS = "..."
MIN_LENGTH = 6
"""Shorter values are not registered (they would mask innocent substrings)."""
MIN_FRAGMENT = 6
"""The shortest head or tail of a value that is masked next to an ellipsis."""
INDEX_FROM = 16
"""With more values than this, whole values are found by walking the text once through the index of heads
instead of one search per value."""


class SecretValues:
    """A thread-safe, grow-only set of secret values that masks them in text."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._lowered: list[str] = []
        self._heads: dict[str, list[str]] = defaultdict(list)
        self._tails: dict[str, list[str]] = defaultdict(list)
        self._longest = 0

    def add(self, *values: str | None) -> None:
        """Remember ``values`` (None, empty and short ones are ignored)."""
        with self._lock:
            for value in values:
                if not value or len(value) < MIN_LENGTH or value in self._values:
                    continue
                self._values.add(value)
                lowered = value.lower()
                self._lowered = sorted([*self._lowered, lowered], key=len, reverse=True)
                self._heads[lowered[:MIN_FRAGMENT]].append(lowered)
                self._tails[lowered[-MIN_FRAGMENT:]].append(lowered)
                self._longest = max(self._longest, len(lowered))

    def mask(self, text: str) -> str:
        """``text`` with every known value and every fragment of one next to an ellipsis masked."""
        with self._lock:
            known = self._lowered
        if not known:
            return text
        text = _mask_whole(text, known, self._heads if len(known) > INDEX_FROM else None)
        return self._mask_fragments(text) if ELLIPSIS in text else text

    def _mask_fragments(self, text: str) -> str:
        """Mask a head that begins a value before an ellipsis and a tail that ends one after it. Extra dots next to
        the ellipsis (``ab....cd``) may belong to either side, so both readings are tried."""
        parts = text.split(ELLIPSIS)
        for index in range(len(parts) - 1):
            before, after = parts[index], parts[index + 1]
            dots = len(after) - len(after.lstrip("."))
            for k in range(dots, -1, -1):  # the head may have lost its last dots to the ellipsis's side
                masked = self._masked_head(before + "." * k)
                if masked is not None:
                    parts[index] = masked
                    break
            for k in range(dots + 1):
                masked = self._masked_tail(after[k:])
                if masked is not None:
                    parts[index + 1] = after[:k] + masked
                    break
        return ELLIPSIS.join(parts)

    def _masked_head(self, text: str) -> str | None:
        """``text`` with its end masked if that end is the beginning of a value; None if it is not."""
        lowered = text.lower()
        for start in range(max(0, len(lowered) - self._longest), len(lowered) - MIN_FRAGMENT + 1):
            for value in self._heads.get(lowered[start:start + MIN_FRAGMENT], ()):
                piece = lowered[start:]
                if len(piece) < len(value) and value.startswith(piece):
                    return text[:start] + MASK
        return None

    def _masked_tail(self, text: str) -> str | None:
        """``text`` with its start masked if that start is the end of a value; None if it is not."""
        lowered = text.lower()
        for end in range(min(len(lowered), self._longest), MIN_FRAGMENT - 1, -1):
            for value in self._tails.get(lowered[end - MIN_FRAGMENT:end], ()):
                piece = lowered[:end]
                if len(piece) < len(value) and value.endswith(piece):
                    return MASK + text[end:]
        return None


def _mask_whole(text: str, known: list[str], heads: dict[str, list[str]] | None) -> str:
    """Mask every occurrence of a known (lower-cased, longest first) value, in any letter case."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: match with a pattern per value
        for value in known:
            text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
        return text
    spans = _spans_by_index(lowered, heads) if heads is not None else _spans_by_search(lowered, known)
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            pieces += [text[position:start], MASK]
        position = max(position, end)
    return "".join([*pieces, text[position:]])


def _spans_by_search(lowered: str, known: list[str]) -> list[tuple[int, int]]:
    spans = []
    for value in known:
        start = lowered.find(value)
        while start != -1:
            spans.append((start, start + len(value)))
            start = lowered.find(value, start + len(value))
    return spans


def _spans_by_index(lowered: str, heads: dict[str, list[str]]) -> list[tuple[int, int]]:
    spans = []
    for start in range(len(lowered) - MIN_FRAGMENT + 1):
        for value in heads.get(lowered[start:start + MIN_FRAGMENT], ()):
            if lowered.startswith(value, start):
                spans.append((start, start + len(value)))
    return spans
