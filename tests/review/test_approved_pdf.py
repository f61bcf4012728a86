"""Approval freezes the document: its print HTML is kept at the moment of approval and
rendered to a PDF after the commit; later edits never reach that PDF, which stays
downloadable, while the document's ordinary PDF follows the text and says "Concept" again.
PDFs are read back with pypdf."""

import io

import pytest
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from apps.beleidsvoorstellen import services as memorandum_services
from apps.beleidsvoorstellen.services import memorandum_get_or_create
from apps.core.models import Legislature
from apps.documents import registry as printables
from apps.documents.pdf import render_pdf
from apps.omgevingsanalyse import services as analysis_services
from apps.review import services
from apps.review.models import Action, ApprovedVersion
from tests.beleidsvoorstellen.factories import current_legislature

pytestmark = pytest.mark.django_db

KIND = "memorandum"
INTRO = "<p>Waarom dit memorandum er is: eerlijke handel voor iedereen.</p>"
NEW_INTRO = "<p>Een heel andere inleiding, geschreven na de goedkeuring.</p>"


@pytest.fixture(autouse=True)
def renders_run_immediately(settings):
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    settings.TASKS = {"default": immediate, "documents": immediate}


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def dutch_date(moment) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_filter(timezone.localtime(moment), "j F Y")


@pytest.fixture
def written(memorandum, adopted, opsteller):
    return memorandum_services.memorandum_update_introduction(
        memorandum=memorandum, introduction=INTRO, expected_version=memorandum.version, by=opsteller
    )


def approve(document, opsteller, schepen, capture):
    services.transition(document=document, action=Action.SUBMIT, by=opsteller)
    with capture(execute=True):
        step = services.transition(document=document, action=Action.APPROVE, by=schepen)
    return ApprovedVersion.objects.get(transition=step)


def pdf_url(document, approved, kind=KIND) -> str:
    return reverse(
        "review:approved_pdf",
        args=[document.municipality.nis_code, kind, document.pk, approved.pk],
    )


def current_pdf(kind, document) -> bytes:
    printed = printables.document_for(
        kind=kind, municipality=document.municipality, object_id=document.pk
    )
    return render_pdf(template_name=printed.template_name, context=printed.context)


def test_approval_freezes_a_pdf_whose_cover_says_approved_and_when(
    written, opsteller, schepen, django_capture_on_commit_callbacks
):
    approved = approve(written, opsteller, schepen, django_capture_on_commit_callbacks)
    assert approved.render_status == ApprovedVersion.RenderStatus.DONE
    assert approved.size == len(approved.pdf) > 1000
    pages = pdf_text(bytes(approved.pdf))
    cover = flat(pages[0])
    assert f"Goedgekeurd op {dutch_date(approved.approved_at)}" in cover
    assert "Concept" not in cover
    body = flat(" ".join(pages))
    assert "eerlijke handel voor iedereen" in body
    assert "Duurzame overheidsopdrachten" in body  # the adopted proposal
    assert approved.approved_by == schepen
    assert approved.filename.endswith(f"-goedgekeurd-{approved.approved_at:%Y-%m-%d}.pdf")


def test_reopening_and_editing_leaves_the_approved_pdf_alone(
    client, written, opsteller, schepen, django_capture_on_commit_callbacks
):
    approved = approve(written, opsteller, schepen, django_capture_on_commit_callbacks)
    frozen = bytes(approved.pdf)

    services.transition(document=written, action=Action.REOPEN, by=opsteller)
    client.force_login(opsteller)
    intro_url = reverse("beleidsvoorstellen:introduction", args=[written.municipality.nis_code])
    written.refresh_from_db()
    response = client.post(intro_url, {"introduction": NEW_INTRO, "version": written.version})
    assert response.status_code == 302  # reopened: editable again

    approved.refresh_from_db()
    assert bytes(approved.pdf) == frozen
    assert "heel andere inleiding" not in approved.html

    response = client.get(pdf_url(written, approved))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{approved.filename}"'
    assert response.content == frozen
    assert "eerlijke handel voor iedereen" in flat(" ".join(pdf_text(response.content)))

    # The document's ordinary PDF follows the text, and its cover says it is a concept again.
    pages = pdf_text(current_pdf(KIND, written))
    assert "Concept" in flat(pages[0])
    assert "Goedgekeurd" not in flat(pages[0])
    assert "heel andere inleiding" in flat(" ".join(pages))


def test_the_bar_links_the_approved_pdf_after_reopening(
    client, written, opsteller, schepen, django_capture_on_commit_callbacks
):
    approved = approve(written, opsteller, schepen, django_capture_on_commit_callbacks)
    services.transition(document=written, action=Action.REOPEN, by=opsteller)
    client.force_login(opsteller)
    page = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[written.municipality.nis_code])
    ).text
    assert "Eerder goedgekeurde versies:" in page
    assert pdf_url(written, approved) in page


def test_every_member_downloads_it_and_a_lezer_too(
    client, written, opsteller, schepen, lezer, django_capture_on_commit_callbacks
):
    approved = approve(written, opsteller, schepen, django_capture_on_commit_callbacks)
    for user in (opsteller, schepen, lezer):
        client.force_login(user)
        response = client.get(pdf_url(written, approved))
        assert response.status_code == 200
        assert response.content == bytes(approved.pdf)


def test_while_the_pdf_is_being_made_the_page_says_so(
    client, written, opsteller, schepen, django_capture_on_commit_callbacks
):
    services.transition(document=written, action=Action.SUBMIT, by=opsteller)
    with django_capture_on_commit_callbacks(execute=False):
        step = services.transition(document=written, action=Action.APPROVE, by=schepen)
    approved = step.approved_version
    assert approved.render_status == ApprovedVersion.RenderStatus.PENDING
    client.force_login(opsteller)
    url = pdf_url(written, approved)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "wordt nog gemaakt" in response.text
    assert f'href="{url}"' in response.text  # try again

    services.approved_render_run(approved_id=approved.pk)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"


def test_a_failed_render_says_so(
    client, written, opsteller, schepen, django_capture_on_commit_callbacks
):
    services.transition(document=written, action=Action.SUBMIT, by=opsteller)
    with django_capture_on_commit_callbacks(execute=False):
        step = services.transition(document=written, action=Action.APPROVE, by=schepen)
    ApprovedVersion.objects.filter(pk=step.approved_version.pk).update(
        render_status=ApprovedVersion.RenderStatus.FAILED, error="OSError"
    )
    client.force_login(opsteller)
    response = client.get(pdf_url(written, step.approved_version))
    assert "kon niet gemaakt worden" in response.text
    assert "OSError" not in response.text


def test_another_documents_or_municipalitys_approved_version_is_404(
    client,
    written,
    opsteller,
    schepen,
    outsider,
    other_municipality,
    django_capture_on_commit_callbacks,
):
    approved = approve(written, opsteller, schepen, django_capture_on_commit_callbacks)
    client.force_login(outsider)
    assert client.get(pdf_url(written, approved)).status_code == 404

    # A document of the user's own municipality does not lend its URL to another's approval.
    theirs = memorandum_get_or_create(
        municipality=other_municipality, legislature=current_legislature(), by=outsider
    )
    approve(theirs, outsider, _schepen_of(other_municipality), django_capture_on_commit_callbacks)
    their_approval = ApprovedVersion.objects.get(review__object_id=theirs.pk)
    client.force_login(opsteller)
    url = reverse(
        "review:approved_pdf",
        args=[written.municipality.nis_code, KIND, written.pk, their_approval.pk],
    )
    assert client.get(url).status_code == 404
    # Nor does another kind of document with the same id.
    url = reverse(
        "review:approved_pdf",
        args=[written.municipality.nis_code, "omgevingsanalyse", written.pk, approved.pk],
    )
    assert client.get(url).status_code == 404
    assert client.get(pdf_url(written, approved) + "x").status_code == 404


def _schepen_of(municipality):
    from apps.core.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(municipality=municipality, role=Role.SCHEPEN).user


# --- visie & missie, printed alone ------------------------------------------------------------


@pytest.fixture
def vision(municipality, opsteller):
    vision = analysis_services.vision_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    return analysis_services.vision_update(
        vision=vision,
        vision_text="<p>Een gemeente die eerlijk deelt met de rest van de wereld.</p>",
        mission_text="<p>Het bestuur verankert mondiale solidariteit in elk beleidsdomein.</p>",
        expected_version=vision.version,
        by=opsteller,
    )


def test_visie_en_missie_prints_alone(vision, municipality):
    pages = pdf_text(current_pdf("visie-missie", vision))
    text = flat(" ".join(pages))
    assert municipality.name in text
    assert "Visie en missie" in text
    assert "Planperiode 2026-2031" in text
    assert "Concept" in text
    assert "Goedgekeurd" not in text
    assert "eerlijk deelt met de rest van de wereld" in text
    assert "mondiale solidariteit in elk beleidsdomein" in text
    assert text.index("Visie") < text.index("eerlijk deelt") < text.index("Missie")
    assert "Inhoud" not in text  # a short cover, no table of contents
    assert "Inleiding" not in text and "SWOT" not in text  # not the whole analysis


def test_visie_en_missie_approved_freezes_its_own_pdf(
    client, vision, opsteller, schepen, django_capture_on_commit_callbacks
):
    approved = approve(vision, opsteller, schepen, django_capture_on_commit_callbacks)
    assert approved.filename.startswith("visie-missie-")
    text = flat(" ".join(pdf_text(bytes(approved.pdf))))
    assert f"Goedgekeurd op {dutch_date(approved.approved_at)}" in text
    assert "eerlijk deelt met de rest van de wereld" in text
    client.force_login(opsteller)
    response = client.get(pdf_url(vision, approved, kind="visie_missie"))
    assert response.status_code == 200
    assert response.content == bytes(approved.pdf)


def test_visie_en_missie_of_another_municipality_does_not_load(vision, other_municipality):
    printable = printables.get("visie-missie")
    with pytest.raises(type(vision).DoesNotExist):
        printable.load(other_municipality, vision.pk)


def test_on_the_database_queue_the_approval_and_its_render_task_are_saved_together(
    settings, memorandum, written, opsteller, schepen
):
    """With the production queue, the render task is written in the approval's transaction:
    an approval that is undone leaves no task, and one that is saved always has its task."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "documents": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    services.transition(document=memorandum, action=Action.SUBMIT, by=opsteller)

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        services.transition(document=memorandum, action=Action.APPROVE, by=schepen)
        assert DBTaskResult.objects.filter(task_path__endswith="render_approved").count() == 1
        raise Undone
    assert not DBTaskResult.objects.filter(task_path__endswith="render_approved").exists()

    step = services.transition(document=memorandum, action=Action.APPROVE, by=schepen)
    approved = ApprovedVersion.objects.get(transition=step)
    task = DBTaskResult.objects.get(task_path__endswith="render_approved")
    assert task.args_kwargs["args"] == [approved.pk]
