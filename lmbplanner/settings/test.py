"""Test settings: the suite runs on PostgreSQL, the database users run."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "The tests run on PostgreSQL: set DATABASE_URL=postgres://... or run `make test`, "
        "which finds or starts a server."
    )

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Browser tests run Playwright's sync API in the test thread next to the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Separate names let several checkouts or runs share one server.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_lmbplanner")}

# Renders run at once, in the test's own thread (deterministic). The multi-process tests
# (tests/multiprocess) start web servers and workers with RENDER_QUEUE=database: the real queue.
if os.environ.get("RENDER_QUEUE") != "database":
    TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "documents": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    }
