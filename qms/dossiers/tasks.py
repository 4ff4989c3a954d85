"""Background work of the dossier app (django-tasks): a large import runs outside the request."""

from django_tasks import task

from qms.dossiers.models import ImportBatch
from qms.dossiers.services import import_batch_run


@task()
def run_import_batch(batch_id: int) -> int:
    batch = ImportBatch.objects.get(pk=batch_id)
    # Only a queued batch is run (a task delivered twice finds it taken); the transition to
    # "checking" is conditional, so two workers given the same batch cannot both run it.
    if batch.state == ImportBatch.State.QUEUED:
        import_batch_run(batch=batch)
    return batch.pk
