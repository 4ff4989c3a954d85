"""
Signals the shared domain sends to the apps above it. `core` must not import those apps, so it
announces the event and they react (e.g. procedures_docs marks the documents that govern a TTHC
for review when its legal basis changes).
"""

from django.dispatch import Signal

#: Sent by `procedure_save` with `procedure` (AdministrativeProcedure) and `by` (user or None).
legal_basis_changed = Signal()
