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
