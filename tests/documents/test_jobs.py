"""Render jobs: start, follow, download; scoped to the user's municipality."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import DocumentKind
from apps.documents.models import JobStatus, RenderJob
from apps.documents.services import render_queue_work
from tests.beleidsvoorstellen.factories import MemorandumFactory

pytestmark = pytest.mark.django_db


def pdf_url(municipality):
    return reverse("documents:memorandum_pdf", args=[municipality.nis_code])


def job_url(job, name="documents:job", *, download=False):
    """``download``: the address a PDF button lands on, whose page starts the download."""
    url = reverse(name, args=[job.municipality.nis_code, job.pk])
    return f"{url}?download=1" if download else url


def edit(memorandum, user, text):
    """A change to what the PDF shows, so that the next click makes a new PDF."""
    from apps.beleidsvoorstellen.services import memorandum_update_introduction

    memorandum.refresh_from_db()
    memorandum_update_introduction(
        memorandum=memorandum,
        introduction=f"<p>{text}</p>",
        expected_version=memorandum.version,
        by=user,
    )


@pytest.fixture
def start(client, memorandum, municipality, django_capture_on_commit_callbacks):
    """POST the PDF button as ``user``; the job runs in the on_commit callback."""

    def start(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(pdf_url(municipality))
        return response, RenderJob.objects.for_user(user).first()

    return start


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_every_member_can_start_a_job_and_download_the_pdf(request, role, start, client):
    response, job = start(request.getfixturevalue(role))

    assert response.status_code == 302
    assert response["Location"] == job_url(job, download=True)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    page = client.get(job_url(job))
    assert job_url(job, "documents:job_download") in page.text
    download = client.get(job_url(job, "documents:job_download"))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="memorandum-teststad-2026-2031.pdf"'
    )
    assert download.content.startswith(b"%PDF")


def test_the_pdf_page_lists_earlier_pdfs(start, client, opsteller, municipality):
    _, job = start(opsteller)
    page = client.get(pdf_url(municipality))
    assert page.status_code == 200
    assert job_url(job, "documents:job_download") in page.text


def test_another_municipality_sees_neither_the_page_nor_the_job(start, client, opsteller, outsider):
    _, job = start(opsteller)
    client.force_login(outsider)

    assert client.get(pdf_url(job.municipality)).status_code == 404
    assert client.post(pdf_url(job.municipality)).status_code == 404
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job, "documents:job_download")).status_code == 404
    assert RenderJob.objects.count() == 1


def test_a_job_of_another_municipality_is_a_404_under_ones_own(
    start, client, opsteller, outsider, other_municipality
):
    _, job = start(opsteller)
    client.force_login(outsider)
    url = reverse("documents:job", args=[other_municipality.nis_code, job.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, municipality):
    response = client.get(pdf_url(municipality))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_pending_job_is_polled_and_not_started_twice(client, opsteller, memorandum):
    pending = RenderJob.objects.create(
        municipality=memorandum.municipality,
        kind=DocumentKind.MEMORANDUM,
        object_id=memorandum.pk,
        requested_by=opsteller,
    )
    client.force_login(opsteller)

    response = client.post(pdf_url(memorandum.municipality))

    assert response["Location"] == job_url(pending, download=True)
    assert RenderJob.objects.count() == 1
    fragment = client.get(job_url(pending), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.text
    assert "<html" not in fragment.text
    assert job_url(pending) in fragment.text  # the "vernieuwen" link works without JS
    download = client.get(job_url(pending, "documents:job_download"))
    assert download.status_code == 302


def test_a_job_queued_long_ago_is_still_waited_for(client, opsteller, memorandum):
    """The queue is durable: an old queued job is not given up, a worker will take it."""
    old = RenderJob.objects.create(
        municipality=memorandum.municipality,
        kind=DocumentKind.MEMORANDUM,
        object_id=memorandum.pk,
    )
    RenderJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(opsteller)

    response = client.post(pdf_url(memorandum.municipality))

    assert response["Location"] == job_url(old, download=True)
    assert (
        "in de wachtrij" in client.get(job_url(old)).text
        or "volgende" in client.get(job_url(old)).text
    )


def test_a_failing_render_marks_the_job_failed(start, opsteller, monkeypatch, client):
    def broken(html, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("apps.documents.services.render_html_pdf", broken)
    _, job = start(opsteller)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError"
    assert "kon niet gemaakt worden" in client.get(job_url(job)).text


def test_without_a_memorandum_there_is_nothing_to_print(client, opsteller, municipality):
    client.force_login(opsteller)
    assert "nog niet begonnen" in client.get(pdf_url(municipality)).text
    assert client.post(pdf_url(municipality)).status_code == 404


def test_only_the_latest_finished_jobs_are_kept(start, opsteller, memorandum):
    for n in range(5):
        edit(memorandum, opsteller, f"Versie {n}")
        start(opsteller)
    assert RenderJob.objects.filter(status=JobStatus.DONE).count() == 3


def test_a_memorandum_of_another_municipality_is_never_printed_under_ones_own(
    municipality, other_municipality
):
    foreign = MemorandumFactory(municipality=other_municipality)
    job = RenderJob.objects.create(
        municipality=municipality, kind=DocumentKind.MEMORANDUM, object_id=foreign.pk
    )
    assert render_queue_work() == str(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
