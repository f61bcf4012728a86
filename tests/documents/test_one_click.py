"""One click on a document's PDF button: the render starts, the job page follows it and
starts the download when it is ready; a document that has not changed since its last PDF gets
that PDF at once, without a new render (issue 10, point 4)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from apps.beleidsvoorstellen.services import proposal_update
from apps.documents.models import JobStatus, RenderJob
from apps.documents.services import render_job_start
from apps.review import services as review
from apps.review.models import Action

pytestmark = pytest.mark.django_db

KIND = "memorandum"


def button_url(memorandum):
    return reverse(
        "documents:document_pdf", args=[memorandum.municipality.nis_code, KIND, memorandum.pk]
    )


def job_url(job, name="documents:job"):
    return reverse(name, args=[job.municipality.nis_code, job.pk])


@pytest.fixture
def click(client, memorandum, django_capture_on_commit_callbacks):
    """One click on the PDF button as ``user``: the POST, the job it ran (immediately, in the
    on_commit callback) and the page it lands on."""

    def click(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(button_url(memorandum))
        assert response.status_code == 302
        job_id = response["Location"].split("/")[-2]
        job = RenderJob.objects.without_pdf().get(pk=job_id)
        return job, client.get(response["Location"])

    return click


def change_a_proposal(memorandum, user, text):
    proposal = memorandum.proposals.order_by("order").first()
    proposal_update(
        proposal=proposal,
        title=proposal.title,
        text=f"<p>{text}</p>",
        justification=proposal.justification,
        reasons=list(proposal.reasons.all()),
        priority=proposal.priority,
        ticked_sub_option_ids=list(
            proposal.sub_options.filter(ticked=True).values_list("pk", flat=True)
        ),
        expected_version=proposal.version,
        by=user,
    )


def test_the_document_pages_button_is_a_form_that_posts_to_the_job(client, opsteller, memorandum):
    """On the document's own page, not a link to a second page with another button."""
    html = render_to_string(
        "documents/_pdf_button.html",
        {"kind": KIND, "object_id": memorandum.pk, "municipality": memorandum.municipality},
        request=RequestFactory().get("/"),
    )
    assert 'method="post"' in html
    assert f'action="{button_url(memorandum)}"' in html
    assert "csrfmiddlewaretoken" in html
    assert '<button type="submit" class="btn btn-lmb">' in html


def test_one_click_lands_on_a_page_that_starts_the_download(click, opsteller):
    job, page = click(opsteller)

    assert job.status == JobStatus.DONE
    assert page.status_code == 200
    download_url = job_url(job, "documents:job_download")
    # The hook static/js/pdf.js follows, next to the link that works without it.
    assert f'data-auto-download="{download_url}"' in page.text
    assert f'href="{download_url}"' in page.text
    assert "PDF downloaden" in page.text
    assert 'role="status"' in page.text and 'aria-live="polite"' in page.text
    assert "js/pdf.js" in page.text
    assert "<script>" not in page.text  # the CSP allows no inline script


def test_a_job_page_opened_later_does_not_download_by_itself(click, opsteller, client):
    job, _ = click(opsteller)
    page = client.get(job_url(job))
    assert "data-auto-download" not in page.text
    assert job_url(job, "documents:job_download") in page.text


def test_while_it_renders_the_page_polls_and_keeps_the_download_for_the_end(
    client, opsteller, memorandum
):
    client.force_login(opsteller)
    response = client.post(button_url(memorandum))  # the on_commit never runs: still queued
    job = RenderJob.objects.get()
    assert response["Location"] == job_url(job) + "?download=1"

    page = client.get(response["Location"])
    assert "De PDF wordt gemaakt" in page.text
    assert f'hx-get="{job_url(job)}?download=1"' in page.text
    assert "data-auto-download" not in page.text

    RenderJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, pdf=b"%PDF-1.7", size=8)
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "hx-get" not in fragment.text  # done: the polling stops
    assert f'data-auto-download="{job_url(job, "documents:job_download")}"' in fragment.text


def test_a_second_click_without_changes_gets_the_same_pdf_at_once(click, opsteller, schepen):
    first, _ = click(opsteller)
    second, page = click(schepen)

    assert second.pk == first.pk
    assert RenderJob.objects.count() == 1  # no second render
    assert "niets gewijzigd" in page.text
    assert "data-auto-download" in page.text


def test_the_pdf_page_offers_the_unchanged_pdf_at_once(click, opsteller, client, memorandum):
    job, _ = click(opsteller)
    page = client.get(button_url(memorandum))
    assert "ongewijzigd sinds" in page.text
    assert job_url(job, "documents:job_download") in page.text

    change_a_proposal(memorandum, opsteller, "Een andere tekst.")
    assert "ongewijzigd sinds" not in client.get(button_url(memorandum)).text


def test_an_edit_makes_a_new_pdf(click, opsteller, memorandum):
    first, _ = click(opsteller)
    change_a_proposal(memorandum, opsteller, "Een nieuwe zin over eerlijke handel.")

    second, page = click(opsteller)

    assert second.pk != first.pk
    assert second.status == JobStatus.DONE
    assert second.content_hash and second.content_hash != first.content_hash
    assert "niets gewijzigd" not in page.text
    pdf = bytes(RenderJob.objects.get(pk=second.pk).pdf)
    from .conftest import flat, pdf_pages

    assert "Een nieuwe zin over eerlijke handel." in flat(" ".join(pdf_pages(pdf)))


def test_going_back_to_earlier_content_offers_that_earlier_pdf(click, opsteller, memorandum):
    proposal = memorandum.proposals.order_by("order").first()
    original = proposal.text
    first, _ = click(opsteller)
    change_a_proposal(memorandum, opsteller, "Tijdelijk.")
    click(opsteller)
    memorandum.refresh_from_db()
    change_a_proposal(memorandum, opsteller, original.removeprefix("<p>").removesuffix("</p>"))

    again, _ = click(opsteller)
    assert again.pk == first.pk


def test_the_review_status_on_the_cover_is_part_of_the_content(
    click, opsteller, schepen, memorandum
):
    concept, _ = click(opsteller)
    review.transition(document=memorandum, action=Action.SUBMIT, by=opsteller)
    submitted, _ = click(schepen)
    assert submitted.pk != concept.pk

    review.transition(document=memorandum, action=Action.APPROVE, by=schepen)
    approved, _ = click(schepen)

    assert approved.pk != submitted.pk
    pdf = bytes(RenderJob.objects.get(pk=approved.pk).pdf)
    from .conftest import pdf_pages

    assert "Goedgekeurd" in pdf_pages(pdf)[0]
    assert click(schepen)[0].pk == approved.pk


def test_a_render_of_changed_content_records_what_it_printed(click, opsteller, memorandum):
    """The job is hashed again when it runs: a change between the click and the render must
    not leave the old content's hash on the new PDF."""
    job = render_job_start(
        municipality=memorandum.municipality, kind=KIND, object_id=memorandum.pk, by=opsteller
    )
    queued_hash = job.content_hash
    change_a_proposal(memorandum, opsteller, "Gewijzigd terwijl de PDF in de wachtrij stond.")
    from apps.documents.services import render_queue_work

    assert render_queue_work() == str(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.content_hash != queued_hash
    assert click(opsteller)[0].pk == job.pk


def test_a_get_never_starts_a_render(client, lezer, memorandum):
    client.force_login(lezer)
    assert client.get(button_url(memorandum)).status_code == 200
    assert not RenderJob.objects.exists()


def test_the_button_needs_the_csrf_token(lezer, memorandum):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lezer)
    assert client.post(button_url(memorandum)).status_code == 403
    assert not RenderJob.objects.exists()


def test_the_lezer_clicks_once_too(click, lezer):
    job, page = click(lezer)
    assert job.status == JobStatus.DONE
    assert "data-auto-download" in page.text


def test_another_municipality_is_a_404_and_gets_no_job(client, outsider, memorandum):
    client.force_login(outsider)
    assert client.post(button_url(memorandum)).status_code == 404
    assert not RenderJob.objects.exists()


def test_the_pdf_dates_are_no_change_of_content(monkeypatch):
    """The PDF's creation and modification dates (metadata) may be the moment of rendering:
    they do not count; what the pages show does."""
    from apps.documents.registry import PrintDocument
    from apps.documents.services import content_hash_of

    head = '<meta name="dcterms.created" content="{}"><meta name="dcterms.modified" content="{}">'
    pages = iter(
        [
            head.format("2026-11-30T01:00:00+01:00", "2026-11-30T01:00:00+01:00") + "<p>A</p>",
            head.format("2026-12-01T09:30:00+01:00", "2026-12-01T09:30:00+01:00") + "<p>A</p>",
            head.format("2026-12-01T09:30:00+01:00", "2026-12-01T09:30:00+01:00") + "<p>B</p>",
        ]
    )
    monkeypatch.setattr("apps.documents.services.render_to_string", lambda *a, **k: next(pages))
    document = PrintDocument(template_name="x.html", context={}, filename="x.pdf")
    first, later, edited = (content_hash_of(document) for _ in range(3))
    assert first == later != edited


def test_the_date_of_printing_in_the_footer_is_no_change_of_content(memorandum, monkeypatch):
    """The footer says when the PDF was printed; a day later the same document is still the
    same content, so the last PDF is offered, not a new render."""
    from datetime import datetime, timedelta

    from apps.documents import registry
    from apps.documents.services import content_hash_of

    document = registry.document_for(
        kind="memorandum", municipality=memorandum.municipality, object_id=memorandum.pk
    )
    today = content_hash_of(document)

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=1)

    monkeypatch.setattr("django.template.defaulttags.datetime", Tomorrow)
    tomorrow_html = render_to_string(document.template_name, document.context)
    assert "afgedrukt op" in tomorrow_html
    assert content_hash_of(document) == today
