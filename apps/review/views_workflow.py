"""Views of the review app (being built in this change)."""

from django.http import Http404


def review_page(request, *args, **kwargs):
    raise Http404


def transition(request, *args, **kwargs):
    raise Http404


def approved_pdf(request, *args, **kwargs):
    raise Http404
