"""Views of the review app (being built in this change)."""

from django.http import Http404


def comments_page(request, *args, **kwargs):
    raise Http404


def thread_create(request, *args, **kwargs):
    raise Http404


def comment_reply(request, *args, **kwargs):
    raise Http404


def thread_resolve(request, *args, **kwargs):
    raise Http404


def members(request, *args, **kwargs):
    raise Http404
