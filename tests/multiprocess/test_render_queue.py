"""The render queue beyond one machine (issue 11, point 8): web servers and workers are separate
processes on one PostgreSQL database. Jobs come in over HTTP through two gunicorn servers and
are rendered by two db_worker processes: each exactly once, none lost, also when a web server or
a worker is killed (SIGKILL) in the middle of a render."""

import signal
import socket
from collections import defaultdict
from itertools import pairwise

import pytest

from apps.core.models import Legislature, Role
from apps.documents.models import JobStatus, RenderJob
from tests.beleidsvoorstellen.factories import MemorandumFactory
from tests.documents.conftest import fill_memorandum
from tests.factories import PASSWORD, MembershipFactory, MunicipalityFactory
from tests.sqlite.client import Browser

from .processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# Two memoranda per municipality: the current legislature's and an older one's.
OLDER = {"start_year": 2001, "end_year": 2006}


def pdf_path(memorandum) -> str:
    return f"/gemeente/{memorandum.municipality.nis_code}/pdf/memorandum/{memorandum.pk}/"


def municipality_with_memoranda(name: str, proposals: int = 3):
    """A municipality, its opsteller and a memorandum for two legislatures."""
    municipality = MunicipalityFactory(name=name)
    user = MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user
    older, _ = Legislature.objects.get_or_create(start_year=OLDER["start_year"], defaults=OLDER)
    memoranda = [
        MemorandumFactory(municipality=municipality),
        MemorandumFactory(municipality=municipality, legislature=older),
    ]
    for memorandum in memoranda:
        fill_memorandum(memorandum, proposals)
    return user, memoranda


def logged_in(base_url: str, user) -> Browser:
    browser = Browser(base_url)
    browser.login(user.email, PASSWORD)
    return browser


def click_pdf(browser: Browser, memorandum) -> str:
    """The PDF button: a POST that lands on the job page; the job's id."""
    response = browser.post(pdf_path(memorandum))
    assert response.status == 302, response.body[:500]
    return response.location.split("/")[-2]


def worker_pid(job: RenderJob) -> int:
    host, _, pid = job.worker.rpartition(":")
    assert host == socket.gethostname()[:100]
    return int(pid)


def test_jobs_of_three_municipalities_through_two_web_servers_are_each_rendered_once(cluster):
    users = {}
    for name in ("Eerstegem", "Tweedegem", "Derdegem"):
        users[name] = municipality_with_memoranda(name)
    web = [cluster.start_web("web1"), cluster.start_web("web2")]
    cluster.start_worker("worker1")
    cluster.start_worker("worker2")

    # Every memorandum clicked on both web servers: one job each, whichever server took it.
    seen = defaultdict(set)
    for user, memoranda in users.values():
        browsers = [logged_in(url, user) for url in web]
        for memorandum in memoranda:
            for browser in browsers:
                seen[memorandum.pk].add(click_pdf(browser, memorandum))
    assert all(len(ids) == 1 for ids in seen.values()), seen

    def all_finished():
        return not RenderJob.objects.pending().exists()

    wait_until(all_finished, timeout=50, what=f"six renders\n{cluster.logs()}")
    jobs = list(RenderJob.objects.without_pdf().order_by("started_at"))
    assert len(jobs) == 6
    assert {str(job.pk) for job in jobs} == {id_ for ids in seen.values() for id_ in ids}
    assert [job.status for job in jobs] == [JobStatus.DONE] * 6, cluster.logs()
    assert [job.attempts for job in jobs] == [1] * 6  # claimed once: rendered once
    assert {worker_pid(job) for job in jobs} <= {cluster.pid("worker1"), cluster.pid("worker2")}
    assert all(job.size > 0 for job in jobs)
    # At most one render at a time per municipality (RENDER_LIMIT_PER_MUNICIPALITY = 1), across
    # both workers: a municipality's renders never overlap.
    by_municipality = defaultdict(list)
    for job in jobs:
        by_municipality[job.municipality_id].append(job)
    for renders in by_municipality.values():
        for earlier, later in pairwise(renders):
            assert later.started_at >= earlier.finished_at


def test_a_web_server_killed_in_the_middle_of_a_render_does_not_stop_the_job(cluster):
    user, (memorandum, _) = municipality_with_memoranda("Webdorp", proposals=6)
    url = cluster.start_web("web1")
    browser = logged_in(url, user)
    cluster.start_worker("worker1")

    job_id = click_pdf(browser, memorandum)
    wait_until(
        lambda: RenderJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).exists(),
        timeout=30,
        what=f"the render starts\n{cluster.logs()}",
    )
    cluster.kill("web1")

    job = wait_until(
        lambda: RenderJob.objects.without_pdf().filter(pk=job_id, status=JobStatus.DONE).first(),
        timeout=40,
        what=f"the worker finishes the job\n{cluster.logs()}",
    )
    assert job.attempts == 1
    assert worker_pid(job) == cluster.pid("worker1")

    # A new web server (the restarted one) serves the PDF.
    again = logged_in(cluster.start_web("web2"), user)
    nis_code = memorandum.municipality.nis_code
    download = again.get(f"/gemeente/{nis_code}/documenten/{job_id}/download/")
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/pdf"


def test_a_job_whose_worker_is_killed_in_the_middle_is_rendered_again(cluster):
    user, (memorandum, _) = municipality_with_memoranda("Werkdorp", proposals=6)
    browser = logged_in(cluster.start_web("web1"), user)
    cluster.start_worker("worker1")

    job_id = click_pdf(browser, memorandum)
    wait_until(
        lambda: RenderJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).exists(),
        timeout=30,
        what=f"the render starts\n{cluster.logs()}",
    )
    cluster.kill("worker1")
    lost = RenderJob.objects.without_pdf().get(pk=job_id)
    assert lost.status == JobStatus.RUNNING  # killed before it finished
    assert worker_pid(lost) == cluster.pid("worker1")

    # The replacement worker finds the job lost once its time limit has passed
    # (RENDER_TIME_LIMIT + RENDER_LOST_AFTER: 21 s here) and renders it again.
    cluster.start_worker("worker2")
    job = wait_until(
        lambda: RenderJob.objects.without_pdf().filter(pk=job_id, status=JobStatus.DONE).first(),
        timeout=50,
        what=f"the job is rendered again\n{cluster.logs()}",
    )
    assert job.attempts == 2
    assert worker_pid(job) == cluster.pid("worker2")
    page = browser.get(f"/gemeente/{memorandum.municipality.nis_code}/documenten/{job_id}/")
    assert "De PDF is klaar." in page.body


def test_a_worker_told_twice_to_stop_puts_its_job_back_for_the_next(cluster):
    """Ctrl-C twice (or `make run` stopping): the first asks the worker to stop after its
    render, the second stops the render; the job goes back to the queue at once, this attempt
    not counted, and the next worker renders it."""
    user, (memorandum, _) = municipality_with_memoranda("Stopdorp", proposals=6)
    browser = logged_in(cluster.start_web("web1"), user)
    worker = cluster.start_worker("worker1")

    job_id = click_pdf(browser, memorandum)
    wait_until(
        lambda: RenderJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).exists(),
        timeout=30,
        what=f"the render starts\n{cluster.logs()}",
    )
    worker.send_signal(signal.SIGTERM)
    wait_until(
        lambda: "shutting down gracefully" in cluster.log("worker1"),
        timeout=10,
        what=f"the worker heard the first stop\n{cluster.logs()}",
    )
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=20)

    back = RenderJob.objects.without_pdf().get(pk=job_id)
    assert back.status == JobStatus.QUEUED, cluster.logs()
    assert back.attempts == 0

    cluster.start_worker("worker2")
    job = wait_until(
        lambda: RenderJob.objects.without_pdf().filter(pk=job_id, status=JobStatus.DONE).first(),
        timeout=40,
        what=f"the next worker renders the job\n{cluster.logs()}",
    )
    assert job.attempts == 1
    assert worker_pid(job) == cluster.pid("worker2")
