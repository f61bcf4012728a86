"""A django.tasks backend that runs tasks on a small pool of threads in the web process.

Django 6.1 ships only ImmediateBackend (runs on the caller's thread) and DummyBackend (runs
nothing). A PDF render takes seconds, so the request must not wait for it, and ``make run``
must work without a worker process: a thread pool in the same process does both. A task that
is still queued when the process stops is lost; the job model notices (a stale job) and lets
the user start again. Tests use ImmediateBackend, so a job runs deterministically.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection
from django.tasks import TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

# Django keeps one backend instance per thread; the pool must be one per process.
_executors: dict[str, ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()


def _executor(alias: str, max_workers: int) -> ThreadPoolExecutor:
    with _executors_lock:
        if alias not in _executors:
            _executors[alias] = ThreadPoolExecutor(
                max_workers=max_workers, thread_name_prefix=f"tasks-{alias}"
            )
        return _executors[alias]


def _run(task, args, kwargs) -> None:
    close_old_connections()
    try:
        task.call(*args, **kwargs)
    except Exception:
        # The task records its own failure; this only keeps the worker thread alive.
        logger.exception("Taak %s mislukt", task.module_path)
    finally:
        connection.close()


class ThreadPoolBackend(BaseTaskBackend):
    """OPTIONS: ``MAX_WORKERS`` (default 1: renders are CPU-bound and the machine is small)."""

    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        pool = _executor(self.alias, int(self.options.get("MAX_WORKERS", 1)))
        pool.submit(_run, task, result.args, result.kwargs)
        return result
