"""Views of the review app (being built in this change)."""

from django.http import Http404


def timeline(request, *args, **kwargs):
    raise Http404


def versions(request, *args, **kwargs):
    raise Http404


def restore(request, *args, **kwargs):
    raise Http404
