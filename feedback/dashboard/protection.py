"""The small-number rule, in one place: every dashboard figure goes through `guard`.

A figure computed from fewer than `settings.SMALL_NUMBER_THRESHOLD` people or answers is
withheld, so nobody can be singled out by narrowing the filters. `n` is what the figure
was computed from: the head count itself for a count of people, the denominator for a
rate, a share or an average. Selectors never hand a bare number to a template or the CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _

NOT_ENOUGH = _("not enough responses yet")
# A head count (members, people who came, retention) is about people, not answers.
TOO_FEW_PEOPLE = _("too few people to show")


def threshold() -> int:
    # Read at call time so override_settings and the environment both apply.
    return int(settings.SMALL_NUMBER_THRESHOLD)


def enough(n: int | None) -> bool:
    """True when a figure computed from `n` people or answers may be shown."""
    return n is not None and n >= threshold()


@dataclass(frozen=True)
class Protected:
    """A figure that may be shown only when `shown` is true; otherwise it has no value."""

    value: float | int | None
    unit: str = ""  # "%" for rates and shares, "" for counts and averages
    people: bool = False  # computed from people (a head count), not from answers

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def withheld_reason(self) -> str:
        return str(TOO_FEW_PEOPLE if self.people else NOT_ENOUGH)

    def __str__(self) -> str:
        if self.value is None:
            return self.withheld_reason
        # "2,0" in Spanish and French: numbers are written the reader's way.
        return f"{formats.number_format(self.value)}{self.unit}"

    @property
    def csv(self) -> str:
        """The CSV cell: empty when withheld (the note column says why)."""
        return "" if self.value is None else str(self.value)


def guard(
    value, n: int | None, *, unit: str = "", digits: int = 1, people: bool = False
) -> Protected:
    """`value` as a Protected figure, withheld when `n` is under the threshold."""
    if value is None or not enough(n):
        return Protected(None, unit, people)
    if isinstance(value, float):
        value = round(value, digits)
    return Protected(value, unit, people)


def share(
    part: int | None, whole: int | None, *, n: int | None = None, people: bool = False
) -> Protected:
    """`part` out of `whole` as a percentage, guarded by `n` (default: `whole` itself)."""
    if not whole:
        return Protected(None, "%", people)
    value = round(100 * (part or 0) / whole)
    return guard(value, whole if n is None else n, unit="%", people=people)


def count(n: int | None) -> Protected:
    """A head count: withheld when it is itself under the threshold (0 included)."""
    return guard(n or 0, n or 0, people=True)
