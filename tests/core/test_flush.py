import os

import pytest
from django.core.management import call_command

from apps.core.models import SDGGoal, SDGTarget
from apps.library.models import Reason

pytestmark = pytest.mark.django_db(transaction=True)


def test_reference_data_comes_back_after_a_flush():
    """Transactional tests (the browser tests) flush the database; tests that run after them
    on the same worker still need the SDGs and reasons."""
    call_command("flush", interactive=False, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert SDGGoal.objects.count() == 17
    assert SDGTarget.objects.count() == 169
    assert Reason.objects.count() == 7


def test_a_migrate_that_stops_before_the_analysis_tables_does_not_fail(monkeypatch):
    """``migrate library 0004`` on a new database sends post_migrate before the omgevingsanalyse
    has its tables: restoring its structures then waits for a later migrate."""
    from django.apps import apps
    from django.db import connection

    from apps.omgevingsanalyse.apps import restore_structures
    from apps.omgevingsanalyse.models import Structure

    Structure.objects.all().delete()
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])
    restore_structures(apps.get_app_config("omgevingsanalyse"), using="default")
    assert not Structure.objects.exists()
    monkeypatch.undo()
    restore_structures(apps.get_app_config("omgevingsanalyse"), using="default")
    assert Structure.objects.exists()
