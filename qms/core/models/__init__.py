"""Shared-domain models. Import from here: `from qms.core.models import Unit`."""

from .catalogue import AdministrativeProcedure, OnlineLevel, ProcedureLevel
from .checks import ChecksInOneQuery
from .clauses import IsoClause
from .pages import HomePage
from .units import (
    Membership,
    QmsStatus,
    Unit,
    UnitKind,
    UnitQmsStatus,
    UnitScopedQuerySet,
    UnitSuccession,
    people_in_scope,
)

__all__ = [
    "AdministrativeProcedure",
    "ChecksInOneQuery",
    "HomePage",
    "IsoClause",
    "Membership",
    "people_in_scope",
    "OnlineLevel",
    "ProcedureLevel",
    "QmsStatus",
    "Unit",
    "UnitKind",
    "UnitQmsStatus",
    "UnitScopedQuerySet",
    "UnitSuccession",
]
