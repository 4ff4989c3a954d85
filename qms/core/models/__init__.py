"""Shared-domain models. Import from here: `from qms.core.models import Unit`."""

from .catalogue import AdministrativeProcedure, OnlineLevel, ProcedureLevel
from .clauses import IsoClause
from .pages import HomePage
from .units import Membership, QmsStatus, Unit, UnitKind, UnitQmsStatus, UnitScopedQuerySet, UnitSuccession

__all__ = [
    "AdministrativeProcedure",
    "HomePage",
    "IsoClause",
    "Membership",
    "OnlineLevel",
    "ProcedureLevel",
    "QmsStatus",
    "Unit",
    "UnitKind",
    "UnitQmsStatus",
    "UnitScopedQuerySet",
    "UnitSuccession",
]
