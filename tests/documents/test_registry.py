"""The registry of printable documents: the document apps register, apps/documents knows none
of them by name; an unknown kind or another municipality's object is never printed."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from apps.core.models import Role
from apps.documents import registry
from apps.documents.models import JobStatus, RenderJob
from apps.documents.services import render_job_start
from tests.beleidsvoorstellen.factories import MemorandumFactory
from tests.factories import MembershipFactory, UserFactory

from .conftest import fill_analysis

pytestmark = pytest.mark.django_db

DOCUMENTS_APP = Path(settings.BASE_DIR) / "apps" / "documents"


def page_url(municipality, kind, object_id):
    return reverse("documents:document_pdf", args=[municipality.nis_code, kind, object_id])


def job_url(job, name="documents:job"):
    return reverse(name, args=[job.municipality.nis_code, job.pk])


def test_the_document_apps_register_their_printable_documents():
    assert {"memorandum", "omgevingsanalyse", "omgevingsanalyse-sectie"} <= {
        key for key, _label in registry.choices()
    }
    assert registry.label_for("memorandum") == "Ambtelijk memorandum"
    assert registry.label_for("omgevingsanalyse") == "Omgevingsanalyse"
    assert registry.label_for("omgevingsanalyse-sectie") == "Sectie van de omgevingsanalyse"


def test_apps_documents_imports_no_document_app():
    imported = set()
    for path in DOCUMENTS_APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    apps = {name.split(".")[1] for name in imported if name.startswith("apps.")}
    assert apps <= {"core", "documents"}


@pytest.mark.parametrize("key", ["", "Memorandum", "met spatie", "a/b", "x" * 41])
def test_a_key_is_a_short_slug(key):
    with pytest.raises(ValueError):
        registry.register(key, label="x", load=lambda m, i: None, build=lambda o: None)


def test_two_apps_cannot_claim_one_key():
    def build(obj):
        return None

    with pytest.raises(ValueError, match="twice"):
        registry.register("memorandum", label="x", load=lambda m, i: None, build=build)
    assert registry.get("memorandum").build.__module__ == "apps.beleidsvoorstellen.printing"


def test_an_unknown_kind_is_refused_by_the_model_and_named_as_stored():
    job = RenderJob(kind="bestaat-niet", object_id=1)
    with pytest.raises(ValidationError) as error:
        job.clean_fields(exclude=["municipality"])
    assert "kind" in error.value.message_dict
    assert job.kind_label == "bestaat-niet"
    assert RenderJob(kind="omgevingsanalyse").kind_label == "Omgevingsanalyse"


# --- the generic PDF page ------------------------------------------------------------------


def test_an_unknown_kind_is_a_404_on_the_page(client, opsteller, municipality):
    client.force_login(opsteller)
    url = page_url(municipality, "bestaat-niet", 1)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not RenderJob.objects.exists()


def test_an_unknown_kind_is_refused_by_the_service(opsteller, municipality, memorandum):
    with pytest.raises(ValidationError):
        render_job_start(
            municipality=municipality, kind="bestaat-niet", object_id=memorandum.pk, by=opsteller
        )
    assert not RenderJob.objects.exists()


@pytest.fixture
def foreign_documents(other_municipality):
    """A memorandum, an analysis and one of its sections of another municipality."""
    foreign_opsteller = MembershipFactory(municipality=other_municipality, role=Role.OPSTELLER).user
    analysis = fill_analysis(other_municipality, foreign_opsteller, swot_per_quadrant=0, actors=0)
    return {
        "memorandum": MemorandumFactory(municipality=other_municipality).pk,
        "omgevingsanalyse": analysis.pk,
        "omgevingsanalyse-sectie": analysis.sections.first().pk,
    }


@pytest.mark.parametrize("kind", ["memorandum", "omgevingsanalyse", "omgevingsanalyse-sectie"])
def test_another_municipalitys_document_is_a_404_under_ones_own(
    kind, client, opsteller, municipality, foreign_documents
):
    """The id is real, but of another municipality: the loader looks inside one's own only."""
    client.force_login(opsteller)
    url = page_url(municipality, kind, foreign_documents[kind])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with pytest.raises(ObjectDoesNotExist):
        render_job_start(
            municipality=municipality, kind=kind, object_id=foreign_documents[kind], by=opsteller
        )
    assert not RenderJob.objects.exists()


@pytest.mark.parametrize("kind", ["omgevingsanalyse", "omgevingsanalyse-sectie"])
def test_another_municipalitys_member_gets_a_404_for_ones_documents(
    kind, client, outsider, municipality, analysis
):
    object_id = analysis.pk if kind == "omgevingsanalyse" else analysis.sections.first().pk
    client.force_login(outsider)
    url = page_url(municipality, kind, object_id)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_every_member_prints_the_analysis_and_a_section(
    request, role, client, analysis, municipality, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(role))
    section = analysis.sections.order_by("order")[1]
    expected = {
        ("omgevingsanalyse", analysis.pk): "omgevingsanalyse-teststad-2026-2031.pdf",
        ("omgevingsanalyse-sectie", section.pk): (
            "omgevingsanalyse-teststad-2026-2031-sectie-2-planet-planeet.pdf"
        ),
    }
    for (kind, object_id), filename in expected.items():
        url = page_url(municipality, kind, object_id)
        page = client.get(url)
        assert page.status_code == 200
        assert f'action="{url}"' in page.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        job = RenderJob.objects.for_document(kind, object_id).get()
        assert response["Location"] == job_url(job) + "?download=1"  # the download starts
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        download = client.get(job_url(job, "documents:job_download"))
        assert download["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert job_url(job, "documents:job_download") in client.get(url).text


def test_the_page_names_the_document_and_links_back_to_it(client, lezer, analysis, municipality):
    section = analysis.sections.order_by("order").first()
    client.force_login(lezer)
    page = client.get(page_url(municipality, "omgevingsanalyse-sectie", section.pk))
    assert "Sectie van de omgevingsanalyse — PDF" in page.text
    assert section.title in page.text
    analysis_url = reverse("omgevingsanalyse:analysis", args=[municipality.nis_code])
    assert f'href="{analysis_url}#sectie-{section.pk}"' in page.text


def test_a_failed_job_links_back_to_its_documents_pdf_page(
    client, opsteller, analysis, municipality
):
    job = RenderJob.objects.create(
        municipality=municipality,
        kind="omgevingsanalyse",
        object_id=analysis.pk,
        status=JobStatus.FAILED,
    )
    client.force_login(opsteller)
    page = client.get(job_url(job))
    assert "Omgevingsanalyse — PDF" in page.text
    assert page_url(municipality, "omgevingsanalyse", analysis.pk) in page.text


def test_the_memorandum_keeps_its_own_address(client, opsteller, memorandum, municipality):
    """Linked from the memorandum page: the same page as the generic one."""
    client.force_login(opsteller)
    page = client.get(reverse("documents:memorandum_pdf", args=[municipality.nis_code]))
    assert page.status_code == 200
    assert page_url(municipality, "memorandum", memorandum.pk) in page.text


def test_the_pdf_button_include_posts_to_the_documents_pdf_page(municipality):
    """One click: a form that starts the render (tests/documents/test_one_click.py)."""
    html = render_to_string(
        "documents/_pdf_button.html",
        {
            "kind": "omgevingsanalyse-sectie",
            "object_id": 7,
            "municipality": municipality,
            "hint": "van de sectie People",
        },
    )
    assert "PDF" in html  # the default label
    assert 'method="post"' in html
    assert f'action="{page_url(municipality, "omgevingsanalyse-sectie", 7)}"' in html
    assert 'class="btn btn-lmb"' in html
    assert '<span class="visually-hidden">van de sectie People</span>' in html


def test_the_admin_shows_jobs_by_the_registrys_label(client, municipality):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    job = RenderJob.objects.create(
        municipality=municipality, kind="omgevingsanalyse-sectie", object_id=1
    )
    changelist = reverse("admin:documents_renderjob_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "Sectie van de omgevingsanalyse" in page.text
    assert "?kind=omgevingsanalyse-sectie" in page.text  # the filter offers every registration
    filtered = client.get(f"{changelist}?kind=memorandum")
    assert filtered.status_code == 200
    assert "Sectie van de omgevingsanalyse</td>" not in filtered.text
    detail = client.get(reverse("admin:documents_renderjob_change", args=[job.pk]))
    assert "Sectie van de omgevingsanalyse" in detail.text
