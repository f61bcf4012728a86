"""Django tasks of the review app: an approved version's PDF is rendered off the request
thread, on the documents' task backend."""

from django.conf import settings
from django.tasks import task


@task
def render_approved(approved_id: int) -> None:
    from .services import approved_render_run

    approved_render_run(approved_id=approved_id)


def enqueue_approved_render(approved_id: int) -> None:
    from apps.documents.tasks import BACKEND_ALIAS

    alias = BACKEND_ALIAS if BACKEND_ALIAS in settings.TASKS else "default"
    render_approved.using(backend=alias).enqueue(approved_id)
