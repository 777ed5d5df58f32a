"""The median of the scores, exactly, in memory that does not grow with the rows,
and per combination of category values the rows that score above it."""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from aimsctl.bias_audit.errors import Changed

Combination = str | tuple[str, ...]  # the raw category values of a row, as read
_DOUBLE = struct.Struct(">d")
_SIGN = 1 << 63
_ALL = (1 << 64) - 1
_PAIRS = 1 << 16  # (score, combination) pairs counted before the first pass gives up
_COLLECT = 1 << 17  # at most this many candidates for a middle value are held to sort
_NEGATIVE_INFINITY = 0x000F_FFFF_FFFF_FFFF  # the keys of -inf and +inf
_POSITIVE_INFINITY = 0xFFF0_0000_0000_0000


def _key(number: float) -> int:
    """An unsigned 64-bit integer that orders like the (finite) float."""
    bits = int.from_bytes(_DOUBLE.pack(number), "big")
    return bits ^ _ALL if bits & _SIGN else bits | _SIGN


def _key_top(bits: int) -> int:
    """:func:`_key` for the top 16 bits of a float."""
    return bits ^ 0xFFFF if bits & 0x8000 else bits | 0x8000


def _unkey(key: int) -> float:
    bits = key ^ _SIGN if key & _SIGN else key ^ _ALL
    (number,) = _DOUBLE.unpack(bits.to_bytes(8, "big"))
    return float(number)


@dataclass
class _Target:
    """A middle rank being searched for: it is the ``rank``-th (from 0) of the
    ``count`` keys whose top ``64 - shift`` bits are ``prefix``; ``found`` once known."""

    rank: int
    prefix: int
    shift: int
    count: int
    found: int | None = None

    @property
    def low(self) -> int:
        return self.prefix << self.shift

    @property
    def high(self) -> int:
        return ((self.prefix + 1) << self.shift) - 1

    def bounds(self) -> tuple[float, float]:
        """The lowest and highest float whose key is in the bucket, so a score can be
        placed by comparing numbers (rows never hold -0.0, NaN or infinities)."""
        low = _unkey(max(self.low, _NEGATIVE_INFINITY))
        high = _unkey(min(self.high, _POSITIVE_INFINITY))
        if high == 0 and math.copysign(1, high) < 0:  # the bucket ends at -0.0
            high = -math.ulp(0.0)
        return low, high


def _bucket(histogram: list[int], rank: int, prefix: int, shift: int) -> _Target:
    """The bucket of ``histogram`` (counts of the keys under ``prefix`` by their next 16
    bits, which end at bit ``shift``) that holds ``rank``."""
    below = 0
    for index, times in enumerate(histogram):
        if rank < below + times:
            return _Target(rank - below, (prefix << 16) | index, shift, times)
        below += times
    raise Changed


def _middle(values: Sequence[float]) -> tuple[float, float]:
    """The median (one middle value, or the mean of two, halved first where the sum
    would overflow) and the bar a score must pass to be above it.

    The mean of two scores may fall between two floats and round up to the higher,
    as the mean of two neighbouring floats always does: the score equal to it is then
    above the exact median, so the bar is the float just below."""
    if len(values) == 1:
        return values[0], values[0]
    low, high = values
    total = low + high
    median = total / 2 if math.isfinite(total) else low / 2 + high / 2
    exact = (Fraction(low) + Fraction(high)) / 2
    return median, (math.nextafter(median, -math.inf) if exact < median else median)


Reread = Callable[[], Iterator[tuple[float, Combination]]]


class Scores:
    """The median of all scores and, per combination of category values, how many
    rows score strictly above it: exact, in memory that does not grow with the rows.

    The first pass counts (score, combination) pairs while there are at most
    ``_PAIRS`` of them (integer or rounded scores): then it is all there is. Beyond
    that it counts the scores by the top 16 bits of :func:`_key`. A middle rank lies
    in one of those buckets; a further pass either collects the keys of that bucket
    to sort (at most ``_COLLECT`` of them; that pass also counts the rows above the
    bucket, so it is the last), or narrows the bucket by the next 16 bits, and a
    last pass counts. Five passes at most, whatever the data; two for most.
    """

    def __init__(self) -> None:
        self.count = 0
        self.pairs: dict[tuple[float, Combination], int] | None = {}
        self.raw = [0] * 65536  # by the top 16 bits of the float, as they are

    def add(self, number: float, combination: Combination) -> None:
        self.count += 1
        pairs = self.pairs
        if pairs is None:
            self.raw[int.from_bytes(_DOUBLE.pack(number), "big") >> 48] += 1
            return
        pair = (number, combination)
        pairs[pair] = pairs.get(pair, 0) + 1
        if len(pairs) > _PAIRS:
            for (value, _), times in pairs.items():
                self.raw[int.from_bytes(_DOUBLE.pack(value), "big") >> 48] += times
            self.pairs = None

    def _top(self) -> list[int]:
        """The first pass's counts by the top 16 bits of the float, in key order."""
        top = [0] * 65536
        for bits, times in enumerate(self.raw):
            top[_key_top(bits)] = times
        return top

    def _ranks(self) -> tuple[int, ...]:
        middle = self.count // 2
        return (middle,) if self.count % 2 else (middle - 1, middle)

    def finish(self, reread: Reread) -> tuple[float, dict[Combination, int]]:
        """The median, and the rows above it per combination; ``reread()`` gives the
        (score, combination) of every row again, as often as needed."""
        if self.pairs is not None:
            return self._from_pairs(self.pairs)
        top = self._top()
        targets = [_bucket(top, rank, 0, 48) for rank in self._ranks()]
        while True:
            if all(t.found is None and t.count <= _COLLECT for t in targets):
                return self._last_pass(targets, reread)
            self._narrow([t for t in targets if t.found is None], reread)
            if all(t.found is not None for t in targets):
                median, bar = _middle([_unkey(t.found) for t in targets if t.found is not None])
                return median, self._above(bar, reread)

    def _from_pairs(
        self, pairs: dict[tuple[float, Combination], int]
    ) -> tuple[float, dict[Combination, int]]:
        totals: dict[float, int] = {}
        for (value, _), times in pairs.items():
            totals[value] = totals.get(value, 0) + times
        wanted, found, seen = self._ranks(), list[float](), 0
        for value in sorted(totals):
            seen += totals[value]
            while len(found) < len(wanted) and wanted[len(found)] < seen:
                found.append(value)
        median, bar = _middle(found)
        above: dict[Combination, int] = {}
        for (value, combination), times in pairs.items():
            if value > bar:
                above[combination] = above.get(combination, 0) + times
        return median, above

    def _narrow(self, pending: list[_Target], reread: Reread) -> None:
        """One pass: each target's bucket counted by its next 16 bits. A sub-bucket
        whose keys were all equal (ties) gives the value at once."""
        tallies = [([0] * 65536, [-1] * 65536, bytearray(65536)) for _ in pending]
        seen = 0
        for number, _ in reread():
            seen += 1
            key = _key(number)
            for target, (histogram, first, mixed) in zip(pending, tallies, strict=True):
                if key >> target.shift == target.prefix:
                    index = (key >> (target.shift - 16)) & 0xFFFF
                    histogram[index] += 1
                    if first[index] < 0:
                        first[index] = key
                    elif first[index] != key:
                        mixed[index] = 1
        if seen != self.count:
            raise Changed
        for target, (histogram, first, mixed) in zip(pending, tallies, strict=True):
            narrower = _bucket(histogram, target.rank, target.prefix, target.shift - 16)
            index = narrower.prefix & 0xFFFF
            target.rank, target.prefix, target.shift = (
                narrower.rank,
                narrower.prefix,
                narrower.shift,
            )
            target.count = narrower.count
            if not mixed[index]:
                target.found = first[index]

    def _last_pass(
        self, targets: list[_Target], reread: Reread
    ) -> tuple[float, dict[Combination, int]]:
        """Collect the keys in the targets' buckets (with their combinations) and count
        the rows above the highest bucket; then the median, and the collected rows above it."""
        ranges = sorted({(t.low, t.high, t.count) for t in targets})
        bottom, top = targets[0].bounds()[0], targets[-1].bounds()[1]
        keys: array[int] = array("Q")
        combinations: list[Combination] = []
        above: dict[Combination, int] = {}
        seen = 0
        for number, combination in reread():
            seen += 1
            if number > top:
                above[combination] = above.get(combination, 0) + 1
            elif number >= bottom:  # in a bucket: between two adjacent ranks there is nothing
                keys.append(_key(number))
                combinations.append(combination)
        if seen != self.count or len(keys) != sum(count for _, _, count in ranges):
            raise Changed
        values = []
        for target in targets:
            inside = sorted(key for key in keys if target.low <= key <= target.high)
            if len(inside) != target.count:
                raise Changed
            values.append(_unkey(inside[target.rank]))
        median, bar = _middle(values)
        for key, combination in zip(keys, combinations, strict=True):
            if _unkey(key) > bar:
                above[combination] = above.get(combination, 0) + 1
        return median, above

    def _above(self, bar: float, reread: Reread) -> dict[Combination, int]:
        above: dict[Combination, int] = {}
        seen = 0
        for number, combination in reread():
            seen += 1
            if number > bar:
                above[combination] = above.get(combination, 0) + 1
        if seen != self.count:
            raise Changed
        return above
