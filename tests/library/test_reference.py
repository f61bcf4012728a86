"""The guide's reference data the data migrations put on every database: reasons, practice
examples, guiding questions, global figures and indicators with their reference values."""

import os
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from apps.core.models import DocumentKind
from apps.library.models import (
    GlobalFigure,
    GuidingQuestion,
    IndicatorDefinition,
    IndicatorReference,
    PracticeExample,
    Reason,
)
from apps.library.reference import (
    SECTIONS,
    ReferenceDataError,
    ensure_library_reference_data,
    upsert_by_key,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [
    Reason,
    PracticeExample,
    GuidingQuestion,
    GlobalFigure,
    IndicatorDefinition,
    IndicatorReference,
]


def reference_state() -> dict[str, list[tuple]]:
    """Every row of every reference model, with its links, to compare before and after."""
    state = {
        model.__name__: sorted(tuple(row.values()) for row in model.objects.values())
        for model in REFERENCE_MODELS
    }
    state["GlobalFigure.sdg_goals"] = sorted(
        GlobalFigure.sdg_goals.through.objects.values_list("globalfigure__key", "sdggoal__number")
    )
    return state


def section(name: str):
    return next(s for s in SECTIONS if s.name == name)


def test_the_seven_reasons_for_lmb_are_present_in_dutch_and_english():
    reasons = list(Reason.objects.all())
    assert [r.order for r in reasons] == [1, 2, 3, 4, 5, 6, 7]
    assert reasons[0].key == "sdg-engagement" and reasons[-1].key == "imago"
    for reason in reasons:
        assert reason.name_nl and reason.name_en, reason.key
        assert reason.description_nl and reason.description_en, reason.key
        assert reason.argument_nl and reason.argument_en, reason.key


def test_the_four_memorandum_examples_are_present():
    examples = PracticeExample.objects.filter(document_kind=DocumentKind.MEMORANDUM)
    assert sorted((e.municipality_name, e.year) for e in examples) == [
        ("Herent", 2019),
        ("Hoogstraten", 2018),
        ("Lommel", 2018),
        ("Sint-Truiden", 2018),
    ]
    assert all(e.summary and e.title for e in examples)


def test_the_guides_seventeen_examples_and_three_vision_examples_are_present():
    per_kind = Counter(PracticeExample.objects.values_list("document_kind", flat=True))
    assert per_kind == {
        DocumentKind.OMGEVINGSANALYSE: 6,
        DocumentKind.MEMORANDUM: 4,
        DocumentKind.MEERJARENPLAN: 7,
        DocumentKind.VISIE_MISSIE: 3,
    }
    omgevingsanalyse = PracticeExample.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE)
    assert sorted((e.municipality_name, e.year) for e in omgevingsanalyse) == [
        ("Evergem", 2022),
        ("Gent", 2018),
        ("Halle", 2018),
        ("Herent", 2019),
        ("Hoogstraten", 2018),
        ("Lommel", 2018),
    ]
    visions = PracticeExample.objects.filter(document_kind=DocumentKind.VISIE_MISSIE)
    assert sorted(e.municipality_name for e in visions) == ["Eeklo", "Gent", "Nazareth"]


def test_every_example_says_what_is_worth_copying():
    for example in PracticeExample.objects.all():
        assert example.title and example.summary, example.key
        assert len(example.worth_copying) >= 40, example.key


def test_meerjarenplan_examples_show_the_four_ways_of_placing_lmb():
    placements = dict(
        PracticeExample.objects.filter(document_kind=DocumentKind.MEERJARENPLAN).values_list(
            "municipality_name", "placement"
        )
    )
    assert placements == {
        "Brugge": "tactische_doelstelling",
        "Harelbeke": "project_in_thema",
        "Herent": "actieplannen",
        "Westerlo": "actieplannen",
        "Hoogstraten": "verweven",
        "Wevelgem": "verweven",
        "Gent": "",  # a policy note, not a plan
    }
    others = PracticeExample.objects.exclude(document_kind=DocumentKind.MEERJARENPLAN)
    assert set(others.values_list("placement", flat=True)) == {""}


def test_guiding_questions_cover_vision_mission_and_the_omgevingsanalyse():
    questions = GuidingQuestion.objects.all()
    per_kind = Counter(q.document_kind for q in questions)
    assert per_kind[DocumentKind.VISIE_MISSIE] >= 5
    assert per_kind[DocumentKind.OMGEVINGSANALYSE] >= 5
    assert set(per_kind) == {DocumentKind.VISIE_MISSIE, DocumentKind.OMGEVINGSANALYSE}
    topics = {q.topic for q in questions.filter(document_kind=DocumentKind.VISIE_MISSIE)}
    assert {"visie", "missie"} <= topics
    for question in questions:
        assert question.text_nl.endswith("?") and question.text_en.endswith("?"), question.key


def test_global_figures_each_have_a_source_and_sdgs():
    figures = list(GlobalFigure.objects.prefetch_related("sdg_goals"))
    assert len(figures) >= 10
    for figure in figures:
        assert figure.figure and figure.statement_nl and figure.statement_en, figure.key
        assert figure.source.strip(), figure.key
        assert figure.sdg_goals.all(), figure.key
    hunger = GlobalFigure.objects.get(key="honger")
    assert hunger.figure == "700 miljoen"
    assert [g.number for g in hunger.sdg_goals.all()] == [2]


def test_the_guides_four_indicators_with_their_units():
    units = dict(IndicatorDefinition.objects.values_list("key", "unit"))
    guide_four = {
        "lmb-budgetaandeel": "%",
        "lmb-vte": "VTE",
        "fair-o-meter": "score",
        "lmb-activiteiten": "aantal",
    }
    # The yearly budget in euro is no indicator of the guide; it carries the guide's reference
    # amounts (€40,000, €100,000), which a chart cannot draw on a percentage axis.
    assert units == guide_four | {"lmb-budget": "€"}
    computed = set(IndicatorDefinition.objects.filter(computed=True).values_list("key", flat=True))
    assert computed == {"lmb-budgetaandeel", "lmb-budget"}
    fair_o_meter = IndicatorDefinition.objects.get(key="fair-o-meter")
    assert (fair_o_meter.minimum, fair_o_meter.maximum) == (Decimal(0), Decimal(100))


def test_the_2022_survey_gives_reference_lines_for_staff_and_budget():
    references = {
        (r.indicator.key, r.value, r.year)
        for r in IndicatorReference.objects.select_related("indicator")
    }
    assert ("lmb-vte", Decimal("0.25"), 2022) in references
    assert ("lmb-budget", Decimal(40000), 2022) in references
    assert ("lmb-budget", Decimal(100000), None) in references
    assert ("lmb-budgetaandeel", Decimal("0.7"), None) in references
    assert all(r.source for r in IndicatorReference.objects.all())


def test_reference_texts_follow_the_readers_language_and_fall_back_to_dutch():
    question = GuidingQuestion.objects.get(key="vm-strategie")
    with translation.override("en"):
        assert question.text == question.text_en
        assert question.help == ""  # no help in either language
    question.text_en = ""
    with translation.override("en"):
        assert question.text == question.text_nl
    with translation.override("nl-be"):
        assert GlobalFigure.objects.get(key="honger").statement.startswith("De wereld")


def test_loading_the_reference_data_again_restores_and_does_not_duplicate():
    Reason.objects.filter(key="imago").update(name_nl="Aangepast", argument_nl="")
    PracticeExample.objects.filter(key="memorandum-lommel-2018").delete()
    GlobalFigure.objects.get(key="honger").sdg_goals.clear()
    IndicatorReference.objects.filter(key="vte-helft-gemeenten-2022").update(value=9)

    ensure_library_reference_data()

    assert Reason.objects.count() == 7
    imago = Reason.objects.get(key="imago")
    assert imago.name_nl == "De gemeente profileren en haar imago versterken"
    assert imago.argument_nl.startswith("Met lokaal mondiaal beleid toont de gemeente zich")
    assert PracticeExample.objects.count() == 20
    assert GlobalFigure.objects.get(key="honger").sdg_goals.count() == 1
    assert IndicatorReference.objects.get(key="vte-helft-gemeenten-2022").value == Decimal("0.25")


def test_loading_twice_changes_nothing():
    ensure_library_reference_data()
    before = reference_state()
    ensure_library_reference_data()
    assert reference_state() == before


def test_the_loader_refuses_unknown_fields_and_unknown_sdgs_for_the_current_models():
    figures = section("global_figures")
    entry = {"key": "x", "statement_nl": "Een zin.", "source": "Bron"}
    with pytest.raises(ReferenceDataError, match="figuur"):
        upsert_by_key(
            GlobalFigure,
            [entry | {"figuur": "1"}],
            apps=django_apps,
            section=figures,
            strict=True,
        )
    with pytest.raises(ReferenceDataError, match="18"):
        upsert_by_key(
            GlobalFigure,
            [entry | {"figure": "1", "sdg_goals": [17, 18]}],
            apps=django_apps,
            section=figures,
            strict=True,
        )
    assert not GlobalFigure.objects.filter(key="x").exists()


def test_a_migration_before_a_field_existed_loads_the_rest_of_the_entry():
    """The data migration of 0002 runs the current loader against models without
    worth_copying and placement; it must skip those, not fail."""
    upsert_by_key(
        PracticeExample,
        [
            {
                "key": "oud-voorbeeld",
                "municipality_name": "Oudegem",
                "year": 2018,
                "document_kind": "memorandum",
                "title": "Titel",
                "summary": "Samenvatting.",
                "worth_copying": "Iets.",
                "field_of_the_future": "later",
            }
        ],
        apps=django_apps,
        section=section("practice_examples"),
        strict=False,
    )
    assert PracticeExample.objects.get(key="oud-voorbeeld").worth_copying == "Iets."


@pytest.mark.django_db(transaction=True)
def test_the_reference_data_comes_back_after_a_flush():
    call_command("flush", interactive=False, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert PracticeExample.objects.count() == 20
    assert GuidingQuestion.objects.exists()
    assert GlobalFigure.objects.count() == 12
    assert GlobalFigure.objects.get(key="honger").sdg_goals.count() == 1
    assert IndicatorDefinition.objects.count() == 5
    assert IndicatorReference.objects.count() == 6


@pytest.mark.parametrize(
    "model", [GuidingQuestion, GlobalFigure, IndicatorDefinition, IndicatorReference]
)
def test_the_beheerder_reads_and_corrects_but_does_not_add_reference_rows(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    admin = f"admin:{meta.app_label}_{meta.model_name}"
    row = model.objects.first()
    assert client.get(reverse(f"{admin}_changelist")).status_code == 200
    assert client.get(reverse(f"{admin}_change", args=[row.pk])).status_code == 200
    assert client.get(reverse(f"{admin}_add")).status_code == 403
    assert client.get(reverse(f"{admin}_delete", args=[row.pk])).status_code == 403
