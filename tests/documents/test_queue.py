"""The render queue (issue 11, points 1-2): fair between municipalities, bounded in time and
pages, a lost job back in the queue, the job page's progress and place in the queue.

Jobs run through services.render_queue_work in the test's own thread, one task at a time, as a
worker process runs them; tests/multiprocess runs real workers."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.documents.models import JobStatus, Output, RenderJob, queue_ahead_of
from apps.documents.services import render_job_start, render_queue_work, requeue_lost_jobs
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

KIND = "memorandum"


def queued(municipality, kind=KIND, object_id=1, *, minutes_ago=0, output=Output.PDF):
    """A job in the queue, as render_job_start leaves it; ``object_id`` need not exist for the
    order of the queue (such a job fails at once when it runs)."""
    job = RenderJob.objects.create(
        municipality=municipality, kind=kind, object_id=object_id, output=output
    )
    RenderJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


def work_until_idle(limit: int = 20) -> list[str]:
    """What one worker does: a task after another until none finds a job; the job ids."""
    done = []
    for _ in range(limit):
        job_id = render_queue_work()
        if job_id is None:
            return done
        done.append(job_id)
    raise AssertionError("the queue never emptied")


def test_each_municipality_gets_its_turn_before_anyones_second_job():
    busy, quiet = MunicipalityFactory(name="Drukdorp"), MunicipalityFactory(name="Stilstad")
    first = queued(busy, "memorandum", minutes_ago=10)
    second = queued(busy, "omgevingsanalyse", minutes_ago=9)
    third = queued(busy, "visie_missie", minutes_ago=8)
    late = queued(quiet, "memorandum", minutes_ago=1)

    assert [queue_ahead_of(job) for job in (first, late, second, third)] == [0, 1, 2, 3]
    assert work_until_idle() == [str(job.pk) for job in (first, late, second, third)]
    assert set(RenderJob.objects.values_list("attempts", flat=True)) == {1}


def test_a_municipality_at_its_limit_leaves_its_job_for_later(settings):
    settings.RENDER_LIMIT_PER_MUNICIPALITY = 1
    busy, quiet = MunicipalityFactory(), MunicipalityFactory()
    running = queued(busy, "memorandum", minutes_ago=10)
    RenderJob.objects.filter(pk=running.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    waiting = queued(busy, "omgevingsanalyse", minutes_ago=9)
    other = queued(quiet, "memorandum", minutes_ago=1)

    assert render_queue_work() == str(other.pk)  # not the older job of the busy one
    assert render_queue_work() is None  # the busy one's job waits for its running job
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.QUEUED

    RenderJob.objects.filter(pk=running.pk).update(status=JobStatus.DONE)
    assert render_queue_work() == str(waiting.pk)


def test_a_higher_limit_lets_a_municipality_run_more_at_once(settings):
    settings.RENDER_LIMIT_PER_MUNICIPALITY = 2
    busy = MunicipalityFactory()
    running = queued(busy, "memorandum", minutes_ago=10)
    RenderJob.objects.filter(pk=running.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    waiting = queued(busy, "omgevingsanalyse", minutes_ago=9)
    assert render_queue_work() == str(waiting.pk)


def test_a_job_whose_worker_was_lost_goes_back_to_the_queue_and_runs_again(
    settings, memorandum, opsteller
):
    job = render_job_start(
        municipality=memorandum.municipality, kind=KIND, object_id=memorandum.pk, by=opsteller
    )
    long_ago = timezone.now() - timedelta(
        seconds=settings.RENDER_TIME_LIMIT + settings.RENDER_LOST_AFTER + 1
    )
    # Claimed by a worker that died in the middle of the render.
    RenderJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=1, worker="gone:1"
    )

    assert render_queue_work() == str(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert job.worker != "gone:1"


def test_a_running_job_within_its_time_is_left_alone(settings, memorandum, opsteller):
    job = queued(memorandum.municipality, object_id=memorandum.pk)
    RenderJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert requeue_lost_jobs() == 0
    assert RenderJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_job_lost_too_often_fails_with_a_message(settings, client, opsteller, memorandum):
    settings.RENDER_MAX_ATTEMPTS = 2
    job = queued(memorandum.municipality, object_id=memorandum.pk)
    RenderJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(days=1), attempts=2
    )

    assert render_queue_work() is None

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    client.force_login(opsteller)
    page = client.get(reverse("documents:job", args=[job.municipality.nis_code, job.pk]))
    assert "2 keer onderbroken" in page.text


def test_a_render_over_its_time_limit_fails_with_a_message(settings, client, opsteller, memorandum):
    settings.RENDER_TIME_LIMIT = 0.01  # a render takes far longer
    job = render_job_start(
        municipality=memorandum.municipality, kind=KIND, object_id=memorandum.pk, by=opsteller
    )
    assert render_queue_work() == str(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not job.pdf
    client.force_login(opsteller)
    page = client.get(reverse("documents:job", args=[job.municipality.nis_code, job.pk]))
    assert "langer dan 0.01 seconden" in page.text
    assert "hx-get" not in page.text  # failed: the polling stops


def test_a_document_over_the_page_limit_fails_with_a_message(
    settings, client, opsteller, memorandum
):
    settings.RENDER_MAX_PAGES = 1  # a cover, the contents and six proposals
    job = render_job_start(
        municipality=memorandum.municipality, kind=KIND, object_id=memorandum.pk, by=opsteller
    )
    assert render_queue_work() == str(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    client.force_login(opsteller)
    page = client.get(reverse("documents:job", args=[job.municipality.nis_code, job.pk]))
    assert "Het document is te groot om af te drukken (meer dan 1 pagina&#x27;s)." in page.text


def test_one_document_has_one_job_on_its_way_per_format(memorandum):
    queued(memorandum.municipality, object_id=memorandum.pk)
    queued(memorandum.municipality, object_id=memorandum.pk, output=Output.DOCX)
    with pytest.raises(IntegrityError), transaction.atomic():
        queued(memorandum.municipality, object_id=memorandum.pk)


def test_the_job_page_shows_the_place_in_the_queue_in_a_fixed_number_of_queries(
    client, opsteller, memorandum
):
    municipality = memorandum.municipality
    job = queued(municipality, object_id=memorandum.pk, minutes_ago=1)
    url = reverse("documents:job", args=[municipality.nis_code, job.pk])
    client.force_login(opsteller)

    page = client.get(url)
    assert "Je opdracht is de volgende." in page.text
    with CaptureQueriesContext(connection) as alone:
        client.get(url)

    others = [MunicipalityFactory() for _ in range(4)]
    for n, other in enumerate(others):
        queued(other, "memorandum", minutes_ago=10 + n)
        queued(other, "omgevingsanalyse", minutes_ago=5 + n)  # a second turn: after this job
    with CaptureQueriesContext(connection) as crowded:
        page = client.get(url)

    assert "Nog 4 opdrachten voor je in de wachtrij." in page.text
    assert len(crowded) == len(alone)


def test_the_job_page_shows_when_a_running_job_started(client, opsteller, memorandum):
    job = queued(memorandum.municipality, object_id=memorandum.pk)
    started = timezone.now() - timedelta(seconds=7)
    RenderJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=started, attempts=1
    )
    client.force_login(opsteller)
    page = client.get(reverse("documents:job", args=[job.municipality.nis_code, job.pk]))
    assert "Gestart" in page.text
    assert timezone.localtime(started).strftime("%H:%M:%S") in page.text
    assert "Bezig sinds" in page.text and "seconden" in page.text
    assert "hx-get" in page.text


def test_an_unknown_output_is_a_400_with_a_message_not_a_job(client, opsteller, memorandum):
    client.force_login(opsteller)
    url = reverse(
        "documents:document_pdf", args=[memorandum.municipality.nis_code, KIND, memorandum.pk]
    )
    response = client.post(url, {"output": "exe"})
    assert response.status_code == 400
    assert "Dit formaat bestaat niet" in response.text
    assert not RenderJob.objects.exists()


def test_a_pdf_and_a_word_file_of_one_document_are_two_jobs(
    client, opsteller, memorandum, django_capture_on_commit_callbacks
):
    """The cache and the pending job are per format: a Word click never gets the PDF."""
    client.force_login(opsteller)
    url = reverse(
        "documents:document_pdf", args=[memorandum.municipality.nis_code, KIND, memorandum.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    pdf = RenderJob.objects.get()
    assert pdf.status == JobStatus.DONE and pdf.output == Output.PDF

    response = client.post(url, {"output": "docx"})  # queued: its task runs after the commit

    docx = RenderJob.objects.exclude(pk=pdf.pk).get()
    assert docx.output == Output.DOCX
    assert response["Location"].split("/")[-2] == str(docx.pk)
    assert client.post(url, {"output": "docx"})["Location"] == response["Location"]
    assert client.post(url, {"output": "pdf"})["Location"].split("/")[-2] == str(pdf.pk)


def test_a_word_file_is_downloaded_as_one(client, opsteller, memorandum):
    job = queued(memorandum.municipality, object_id=memorandum.pk, output=Output.DOCX)
    RenderJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, pdf=b"PK\x03\x04", size=4, filename="memorandum-teststad.docx"
    )
    client.force_login(opsteller)
    download = client.get(
        reverse("documents:job_download", args=[job.municipality.nis_code, job.pk])
    )
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download["Content-Disposition"] == 'attachment; filename="memorandum-teststad.docx"'
    assert download.content == b"PK\x03\x04"
