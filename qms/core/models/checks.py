"""One query for all of a model's check constraints when a record is validated."""

from django.core.exceptions import FieldError
from django.db import router
from django.db.models import CheckConstraint, Q


class ChecksInOneQuery:
    """
    A mixin for models with several CheckConstraints (put it before models.Model).

    Django's `validate_constraints` asks the database once per CheckConstraint: 12 queries for
    every save of a nonconformity. This asks once whether none of them fails (a constraint whose
    condition is unknown holds, as in SQL and in Django) and leaves only the other constraints to
    Django. When one fails, or a condition names an excluded field, Django checks them one by one
    as before, so the messages are Django's own.
    """

    def validate_constraints(self, exclude=None):
        self._checks_all_hold = self._checks_hold(exclude)
        try:
            super().validate_constraints(exclude)
        finally:
            del self._checks_all_hold

    def get_constraints(self):
        constraints = super().get_constraints()
        if getattr(self, "_checks_all_hold", False):
            return [(model, [c for c in model_constraints if not isinstance(c, CheckConstraint)])
                    for model, model_constraints in constraints]
        return constraints

    def _checks_hold(self, exclude) -> bool:
        using = router.db_for_write(type(self), instance=self)
        for model, model_constraints in super().get_constraints():
            condition = Q()
            for constraint in model_constraints:
                if isinstance(constraint, CheckConstraint):
                    condition &= Q(constraint.condition)
            if not condition:
                continue
            try:
                if not condition.check(self._get_field_expression_map(meta=model._meta, exclude=exclude), using=using):
                    return False
            except FieldError:
                return False
        return True
