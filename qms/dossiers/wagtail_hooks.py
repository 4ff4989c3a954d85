"""Registration only: dossier records are kept as imported (their screens are in the reports' menu group)."""

from wagtail.permissions import register_permission_policy

from qms.core.permissions import KeptRecordPolicy
from qms.dossiers.models import Dossier

# Dossier records come from the one-stop software by import; nobody adds, edits or deletes them by hand.
register_permission_policy(Dossier, KeptRecordPolicy(Dossier, denied={"add", "change", "delete"}))
