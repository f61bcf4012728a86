import polib
import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.models import Legislature
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import Structure

pytestmark = pytest.mark.django_db


def test_the_interface_is_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert "Aanmelden" in response.text


def test_switching_to_english_and_back(client, opsteller, municipality):
    client.force_login(opsteller)
    dashboard = reverse("core:dashboard", args=[municipality.nis_code])
    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert response.status_code == 302
    page = client.get(dashboard)
    assert '<html lang="en">' in page.text
    assert "Documents" in page.text
    assert "Sign out" in page.text
    client.post(reverse("set_language"), {"language": "nl-be", "next": dashboard})
    page = client.get(dashboard)
    assert '<html lang="nl-be">' in page.text
    assert "Documenten" in page.text


def test_the_login_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("accounts:login"))
    assert "Sign in" in response.text


def test_an_english_browser_still_gets_dutch_until_the_user_switches(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl-be">' in response.text
    assert "Aanmelden bij LMB Planner" in response.text


ENGLISH_CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _catalogue_problems(path):
    """The msgids of the live entries that have no English text or are still marked fuzzy."""
    catalogue = polib.pofile(str(path))
    live = [entry for entry in catalogue if not entry.obsolete]
    untranslated = [
        entry.msgid
        for entry in live
        if not (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr)
    ]
    fuzzy = [entry.msgid for entry in live if "fuzzy" in entry.flags]
    return untranslated, fuzzy


def test_every_entry_of_the_english_catalogue_is_translated_and_checked():
    """After makemessages, every new string needs an English text, and every guess gettext
    marked fuzzy must be checked: a fuzzy entry is left out of the .mo, so it shows in Dutch."""
    untranslated, fuzzy = _catalogue_problems(ENGLISH_CATALOGUE)
    assert not untranslated, f"{len(untranslated)} without English text: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} still marked fuzzy: {fuzzy[:20]}"


def test_the_compiled_english_catalogue_matches_the_po_file():
    """compilemessages was run after the last change to django.po."""

    def texts(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (
                tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            )
            for entry in catalogue
            if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
        }

    po = texts(polib.pofile(str(ENGLISH_CATALOGUE)))
    mo = texts(polib.mofile(str(ENGLISH_CATALOGUE.with_suffix(".mo"))))
    assert po == mo, "django.mo is out of date: run manage.py compilemessages --ignore=.venv"


def test_the_environmental_analysis_in_english(client, opsteller, municipality):
    services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )
    client.force_login(opsteller)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("omgevingsanalyse:analysis", args=[municipality.nis_code])).text
    for text in ("Environmental analysis", "Planning period", "Guiding questions", "Helpful"):
        assert text in page
    assert "Planperiode" not in page


def test_a_word_shared_by_two_meanings_is_translated_by_its_context():
    """'van' is "of" in the PDF footer ("pagina 3 van 9") and "from" for the status a review
    transition came from: the transition's label has a context of its own."""
    from django.utils import translation

    from apps.review.models import Transition

    with translation.override("en"):
        assert str(Transition._meta.get_field("from_status").verbose_name) == "from"
        assert str(Transition._meta.get_field("to_status").verbose_name) == "to"
        assert translation.gettext("van") == "of"
