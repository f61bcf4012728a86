"""Django tasks of the documents app.

Renders go to the task backend "documents" (settings.TASKS): in production and `make run` the
database queue of django-tasks-db, run by `manage.py db_worker --backend documents`; in the
tests ImmediateBackend, which runs the task at once in the caller's thread.

A render task names no job: it claims the fairest job a worker may take now
(services.render_queue_work), so the order of the task rows is not the order of the renders.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend

BACKEND_ALIAS = "documents"


@task
def render_next() -> str | None:
    from .services import render_queue_work

    return render_queue_work()


def backend_alias() -> str:
    return BACKEND_ALIAS if BACKEND_ALIAS in settings.TASKS else "default"


def queue_in_database() -> bool:
    """The task rows are in the app's own database: written in the caller's transaction, so a
    job and its task are saved together or not at all."""
    return isinstance(task_backends[backend_alias()], DatabaseBackend)


def enqueue_render(*, after: timedelta | None = None) -> None:
    """Leave a render task: at once (in the caller's transaction, or after its commit for a
    backend outside the database, whose worker must find the job), or ``after`` that long for
    the check on a job's worker, which only a database queue can hold."""
    alias = backend_alias()
    if queue_in_database():
        if after is None:
            render_next.using(backend=alias).enqueue()
        else:
            render_next.using(backend=alias, run_after=timezone.now() + after).enqueue()
    elif after is None:
        transaction.on_commit(partial(render_next.using(backend=alias).enqueue))
