"""The structures are reference data loaded on every database; Demodorp's demo documents show
every part of the omgevingsanalyse filled in, and a second load changes nothing."""

import os

import pytest
from django.core.management import call_command

from apps.omgevingsanalyse.models import (
    Actor,
    Analysis,
    CitedFigure,
    IndicatorValue,
    Structure,
    SwotItem,
    VisionMission,
)
from apps.omgevingsanalyse.reference import ensure_structures, structures_data

pytestmark = pytest.mark.django_db


def test_the_four_structures_are_loaded_from_their_file():
    counts = {s.key: s.sections.count() for s in Structure.objects.all()}
    assert counts == {"per-sdg": 17, "vijf-p": 5, "intern-extern-swot": 5, "per-actieterrein": 3}
    assert Structure.objects.get(key="intern-extern-swot").with_swot
    per_sdg = Structure.objects.get(key="per-sdg").sections.order_by("order")
    assert [list(s.sdg_goals.values_list("number", flat=True)) for s in per_sdg] == [
        [n] for n in range(1, 18)
    ]


def test_loading_the_structures_again_changes_nothing():
    before = [(s.key, s.name_nl, s.sections.count()) for s in Structure.objects.order_by("key")]
    ensure_structures()
    after = [(s.key, s.name_nl, s.sections.count()) for s in Structure.objects.order_by("key")]
    assert before == after
    assert len(structures_data()) == Structure.objects.count()


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_demo_municipality_has_a_filled_in_vision_and_analysis():
    load_demo()
    vision = VisionMission.objects.get(municipality__nis_code="99001")
    assert "Demodorp" in vision.vision and "0,7 %" in vision.mission
    analysis = Analysis.objects.get(municipality__nis_code="99001")
    assert analysis.structure.key == "vijf-p"
    assert analysis.sections.exclude(text="").count() >= 2
    assert CitedFigure.objects.filter(section__analysis=analysis).count() == 2
    assert SwotItem.objects.filter(analysis=analysis).values("quadrant").distinct().count() == 4
    assert Actor.objects.filter(analysis=analysis).count() == 8
    with_values = IndicatorValue.objects.filter(indicator__analysis=analysis)
    assert with_values.values("indicator").distinct().count() == 3
    years = set(with_values.filter(is_target=False).values_list("year", flat=True))
    assert years == set(range(2019, 2026))


def test_a_second_demo_load_keeps_what_was_changed():
    load_demo()
    analysis = Analysis.objects.get(municipality__nis_code="99001")
    analysis.sections.update(title="Eigen titel")
    load_demo()
    assert Analysis.objects.filter(municipality__nis_code="99001").count() == 1
    assert set(analysis.sections.values_list("title", flat=True)) == {"Eigen titel"}
    assert Actor.objects.filter(analysis=analysis).count() == 8
