"""Views of the review app (being built in this change)."""

from django.http import Http404


def notifications(request, *args, **kwargs):
    raise Http404


def mark_read(request, *args, **kwargs):
    raise Http404


def settings_page(request, *args, **kwargs):
    raise Http404
