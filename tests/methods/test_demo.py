"""Demodorp's worksheets: a finished OECD-DAC self-evaluation by three people, and a theory of
change whose two activities are actions of the demo plan; loading twice changes nothing."""

import os

import pytest
from django.core.management import call_command

from apps.meerjarenplan.models import Action
from apps.methods.models import Contribution, Evaluation, Phase, Transfer, Worksheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registered():
    """The loaders as the apps' ready() register them (other tests may have removed them)."""
    from apps.core import demo as core_demo
    from apps.meerjarenplan.demo import load_demo_plan
    from apps.methods.demo import load_demo_worksheets

    added = []
    for loader in (load_demo_plan, load_demo_worksheets):
        if loader not in core_demo._document_loaders:
            core_demo.register_demo(loader)
            added.append(loader)
    yield
    for loader in added:
        core_demo._document_loaders.remove(loader)


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demodorp_has_a_finished_self_evaluation_and_a_theory_of_change_in_its_plan():
    load_demo()
    evaluation = Worksheet.objects.get(method__key="oeso-dac")
    assert evaluation.phase == Phase.CLOSED
    authors = set(evaluation.contributions.values_list("author__email", flat=True))
    assert authors == {
        "opsteller@demo.lmbplanner.be",
        "schepen@demo.lmbplanner.be",
        "lezer@demo.lmbplanner.be",
    }
    assert Evaluation.objects.filter(worksheet=evaluation).exclude(text="").count() == 6
    toc = Worksheet.objects.get(method__key="veranderingstheorie")
    activities = Contribution.objects.filter(worksheet=toc, section="activiteit")
    assert activities.count() == 2
    actions = Action.objects.filter(
        pk__in=Transfer.objects.filter(contribution__in=activities).values("object_id")
    )
    assert actions.count() == 2
    assert {a.plan.municipality.nis_code for a in actions} == {"99001"}
    before = (Worksheet.objects.count(), Contribution.objects.count(), Action.objects.count())
    load_demo()
    after = (Worksheet.objects.count(), Contribution.objects.count(), Action.objects.count())
    assert before == after
