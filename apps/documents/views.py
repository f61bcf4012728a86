"""PDF pages: start a render job, follow it, download the result. Every view starts from the
user's municipality, so another municipality's job or document is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.models import DocumentKind
from apps.core.selectors import current_legislature, municipality_for_user

from .models import JobStatus, RenderJob
from .services import render_job_start

POLL_SECONDS = 2


def _memorandum(municipality, user):
    from apps.beleidsvoorstellen.selectors import memorandum_for

    return memorandum_for(municipality=municipality, legislature=current_legislature(), user=user)


@login_required
@require_http_methods(["GET", "POST"])
def memorandum_pdf(request, nis_code: str):
    """GET: the latest PDFs of the memorandum and a button to make one; POST: make one."""
    municipality = municipality_for_user(request.user, nis_code)
    memorandum = _memorandum(municipality, request.user)
    if request.method == "POST":
        if memorandum is None:
            raise Http404
        job = render_job_start(
            municipality=municipality,
            kind=DocumentKind.MEMORANDUM,
            object_id=memorandum.pk,
            by=request.user,
        )
        return redirect("documents:job", nis_code=nis_code, job_id=job.pk)
    jobs = []
    if memorandum is not None:
        jobs = list(
            RenderJob.objects.for_user(request.user)
            .without_pdf()
            .for_document(DocumentKind.MEMORANDUM, memorandum.pk)
            .filter(municipality=municipality)
            .select_related("requested_by")[:5]
        )
    return render(
        request,
        "documents/memorandum_pdf.html",
        {
            "current_municipality": municipality,
            "municipality": municipality,
            "memorandum": memorandum,
            "jobs": jobs,
        },
    )


def _job(request, nis_code: str, job_id, *, with_pdf: bool = False) -> RenderJob:
    municipality = municipality_for_user(request.user, nis_code)
    jobs = RenderJob.objects.for_user(request.user).filter(municipality=municipality)
    if not with_pdf:
        jobs = jobs.without_pdf()
    return get_object_or_404(jobs.select_related("municipality"), pk=job_id)


@login_required
@require_http_methods(["GET"])
def job_detail(request, nis_code: str, job_id):
    """The job's status; htmx polls the status fragment until the job has finished."""
    job = _job(request, nis_code, job_id)
    template = "documents/job.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(
        request,
        template,
        {
            "current_municipality": job.municipality,
            "municipality": job.municipality,
            "job": job,
            "poll_seconds": POLL_SECONDS,
        },
    )


@login_required
@require_http_methods(["GET"])
def job_download(request, nis_code: str, job_id):
    job = _job(request, nis_code, job_id, with_pdf=True)
    if job.status != JobStatus.DONE or not job.pdf:
        return redirect("documents:job", nis_code=nis_code, job_id=job.pk)
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
