"""Background work of the dossier app (django-tasks): a large import runs outside the request."""

from django_tasks import task

from qms.dossiers.models import ImportBatch
from qms.dossiers.services import import_batch_run


@task()
def run_import_batch(batch_id: int) -> int:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.is_running and batch.state == ImportBatch.State.QUEUED:
        import_batch_run(batch=batch)
    return batch.pk
