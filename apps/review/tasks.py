"""Django tasks of the review app: an approved version's PDF is rendered off the request
thread, on the documents' task backend."""

from functools import partial

from django.db import transaction
from django.tasks import task


@task
def render_approved(approved_id: int) -> None:
    from .services import approved_render_run

    approved_render_run(approved_id=approved_id)


def enqueue_approved_render(approved_id: int) -> None:
    """Leave the render of an approved version: in the approval's own transaction when the
    queue is in the app's database (the approval and its task are saved together, so a crash
    between the two cannot lose the PDF), else after the commit, so the worker finds the row."""
    from apps.documents.tasks import backend_alias, queue_in_database

    enqueue = partial(render_approved.using(backend=backend_alias()).enqueue, approved_id)
    if queue_in_database():
        enqueue()
    else:
        transaction.on_commit(enqueue)
