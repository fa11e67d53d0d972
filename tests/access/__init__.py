"""The access matrix: every URL of the project, what each role gets, and what it must not see.

Rows live in `tests/access/rows_*.py`, one module per app, each exporting `ROWS`.
`tests/test_access_matrix.py` fails when a URL pattern has no row, and requests every row
as every role in `tests.world.ROLES`.

Expected outcomes per role are an HTTP status, or LOGIN (a redirect to sign in).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import ROLES

LOGIN = "login"


def expect(default, **per_role) -> dict[str, int | str]:
    """Outcome for every role: `default` unless named (`expect(404, member=200)`)."""
    unknown = set(per_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return {role: per_role.get(role, default) for role in ROLES}


def signed_in(status=200, **per_role):
    """Anonymous is sent to sign in; every signed-in role gets `status` unless named."""
    return expect(status, anonymous=LOGIN, **per_role)


@dataclass
class Row:
    name: str
    outcomes: dict[str, int | str]
    args: Callable[[object], list] | None = None
    query: str = ""
    method: str = "get"
    data: Callable[[object], dict] | None = None
    # Strings that only some roles may ever see: {text: roles entitled}.
    private: Callable[[object], dict[str, set[str]]] | None = None
    note: str = ""
    # Third-party templates (allauth) have undefined variables we do not own.
    third_party: bool = False


@dataclass
class Family:
    """URLs under a prefix governed by one rule (e.g. the Django admin: staff only)."""

    prefix: str
    sample: Row
    note: str = ""


@dataclass
class Matrix:
    rows: dict[str, Row] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)


def load_matrix() -> Matrix:
    matrix = Matrix()
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("rows_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for row in getattr(module, "ROWS", []):
            if row.name in matrix.rows:
                raise ValueError(f"{row.name} has two rows")
            matrix.rows[row.name] = row
        matrix.families.extend(getattr(module, "FAMILIES", []))
    return matrix
