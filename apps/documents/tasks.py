"""Django tasks of the documents app.

Renders go to the task backend "documents" when settings.TASKS has one (a thread pool in the
web process, see backends.py), else to the default backend.
"""

from django.conf import settings
from django.tasks import task

BACKEND_ALIAS = "documents"


@task
def render_document(job_id: str) -> None:
    from .services import render_job_run

    render_job_run(job_id=job_id)


def enqueue_render(job_id: str) -> None:
    alias = BACKEND_ALIAS if BACKEND_ALIAS in settings.TASKS else "default"
    render_document.using(backend=alias).enqueue(job_id)
