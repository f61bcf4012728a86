"""The reasons and practice examples the data migration puts on every database."""

import pytest

from apps.core.models import DocumentKind
from apps.library.models import PracticeExample, Reason
from apps.library.reference import ensure_library_reference_data

pytestmark = pytest.mark.django_db


def test_the_seven_reasons_for_lmb_are_present_in_dutch_and_english():
    reasons = list(Reason.objects.all())
    assert [r.order for r in reasons] == [1, 2, 3, 4, 5, 6, 7]
    assert reasons[0].key == "sdg-engagement" and reasons[-1].key == "imago"
    for reason in reasons:
        assert reason.name_nl and reason.name_en, reason.key
        assert reason.description_nl and reason.description_en, reason.key


def test_the_four_memorandum_examples_are_present():
    examples = PracticeExample.objects.filter(document_kind=DocumentKind.MEMORANDUM)
    assert sorted((e.municipality_name, e.year) for e in examples) == [
        ("Herent", 2019),
        ("Hoogstraten", 2018),
        ("Lommel", 2018),
        ("Sint-Truiden", 2018),
    ]
    assert all(e.summary and e.title for e in examples)


def test_loading_the_reference_data_again_restores_and_does_not_duplicate():
    Reason.objects.filter(key="imago").update(name_nl="Aangepast")
    PracticeExample.objects.filter(key="memorandum-lommel-2018").delete()

    ensure_library_reference_data()

    assert Reason.objects.count() == 7
    assert (
        Reason.objects.get(key="imago").name_nl == "Je gemeente profileren en je imago versterken"
    )
    assert PracticeExample.objects.count() == 4
