"""PDF pages: start a render job, follow it, download the result (a PDF, or a Word file).
Every view starts from the user's municipality, so another municipality's job or document is a
404, and every document comes from the registry of printable documents, so an unknown kind is
a 404 too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.selectors import current_legislature, municipality_for_user

from . import registry
from .models import JobStatus, Output, RenderJob, queue_ahead_of
from .services import render_job_start, render_job_unchanged

POLL_SECONDS = 2
RECENT_JOBS = 5
# The job page reached from a PDF button starts the download itself once the PDF is ready
# (static/js/pdf.js); opened any other way it only offers the link.
AUTO_DOWNLOAD = "download"


def _finished_label(job: RenderJob) -> str:
    return formats.date_format(timezone.localtime(job.finished_at), "j F Y, H:i")


def _job_url(nis_code: str, job_id, *, auto_download: bool) -> str:
    url = reverse("documents:job", args=[nis_code, job_id])
    return f"{url}?{AUTO_DOWNLOAD}=1" if auto_download else url


def _printable(kind: str) -> registry.Printable:
    try:
        return registry.get(kind)
    except registry.UnknownDocument:
        raise Http404 from None


def _load(printable: registry.Printable, municipality, object_id: int):
    try:
        return printable.load(municipality, object_id)
    except ObjectDoesNotExist:
        raise Http404 from None


def _unchanged_message(job: RenderJob) -> str:
    if job.output == Output.DOCX:
        message = _(
            "Er is niets gewijzigd sinds het Word-bestand van %(time)s: je krijgt dat bestand "
            "meteen."
        )
    else:
        message = _("Er is niets gewijzigd sinds de PDF van %(time)s: je krijgt die PDF meteen.")
    return message % {"time": _finished_label(job)}


def _pdf_page(request, municipality, printable: registry.Printable, obj):
    """GET: the latest PDFs of the document and a button to make one; POST: make one (the
    form's optional ``output``: "pdf", the default, or "docx" for Word).
    ``obj`` None: the document does not exist yet, so there is nothing to print."""
    error = ""
    if request.method == "POST":
        if obj is None:
            raise Http404
        output = request.POST.get("output") or Output.PDF
        if output in Output.values:
            try:
                job = render_job_start(
                    municipality=municipality,
                    kind=printable.key,
                    object_id=obj.pk,
                    by=request.user,
                    output=output,
                )
            except ObjectDoesNotExist:  # deleted since it was loaded above
                raise Http404 from None
            if job.status == JobStatus.DONE:  # nothing changed since that file: no new render
                messages.info(request, _unchanged_message(job))
            return redirect(_job_url(municipality.nis_code, job.pk, auto_download=True))
        error = _("Dit formaat bestaat niet: kies PDF of Word.")
    jobs = []
    unchanged = None
    if obj is not None:
        unchanged = render_job_unchanged(
            municipality=municipality, kind=printable.key, object_id=obj.pk
        )
        jobs = list(
            RenderJob.objects.for_user(request.user)
            .without_pdf()
            .for_document(printable.key, obj.pk)
            .filter(municipality=municipality)
            .select_related("requested_by")[:RECENT_JOBS]
        )
    return render(
        request,
        "documents/document_pdf.html",
        {
            "current_municipality": municipality,
            "municipality": municipality,
            "printable": printable,
            "object": obj,
            "title": printable.title_of(obj) if obj is not None else "",
            "page_url": printable.page_url_of(obj) if obj is not None else None,
            "jobs": jobs,
            "unchanged": unchanged,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_pdf(request, nis_code: str, kind: str, object_id: int):
    """The PDF page of any registered document, named by its kind and id."""
    municipality = municipality_for_user(request.user, nis_code)
    printable = _printable(kind)
    return _pdf_page(request, municipality, printable, _load(printable, municipality, object_id))


@login_required
@require_http_methods(["GET", "POST"])
def memorandum_pdf(request, nis_code: str):
    """The memorandum's PDF page under its older address: the current memorandum, found
    through the registry, on the generic page."""
    municipality = municipality_for_user(request.user, nis_code)
    printable = _printable("memorandum")
    memorandum = printable.find(municipality, current_legislature(), request.user)
    return _pdf_page(request, municipality, printable, memorandum)


def _job(request, nis_code: str, job_id, *, with_pdf: bool = False) -> RenderJob:
    municipality = municipality_for_user(request.user, nis_code)
    jobs = RenderJob.objects.for_user(request.user).filter(municipality=municipality)
    if not with_pdf:
        jobs = jobs.without_pdf()
    return get_object_or_404(jobs.select_related("municipality"), pk=job_id)


@login_required
@require_http_methods(["GET"])
def job_detail(request, nis_code: str, job_id):
    """The job's status; htmx polls the status fragment until the job has finished. Reached
    from a PDF button (``?download=1``), the finished page starts the download itself."""
    job = _job(request, nis_code, job_id)
    auto_download = request.GET.get(AUTO_DOWNLOAD) == "1"
    # Queued: how many jobs go first (two queries, whatever the queue's length).
    ahead = queue_ahead_of(job) if job.status == JobStatus.QUEUED else None
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
            "ahead": ahead,
            "elapsed_seconds": int(job.elapsed.total_seconds()) if job.elapsed else None,
            "printable_known": registry.is_registered(job.kind),
            "poll_seconds": POLL_SECONDS,
            "auto_download": auto_download,
            "poll_url": _job_url(job.municipality.nis_code, job.pk, auto_download=auto_download),
        },
    )


@login_required
@require_http_methods(["GET"])
def job_download(request, nis_code: str, job_id):
    job = _job(request, nis_code, job_id, with_pdf=True)
    if job.status != JobStatus.DONE or not job.pdf:
        return redirect("documents:job", nis_code=nis_code, job_id=job.pk)
    response = HttpResponse(bytes(job.pdf), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
