"""Answers for requests the app cannot act on."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def bad_request(request, message: str, *, status: int = 400, kept_text: str = ""):
    """A request no page of the app sends (a missing or malformed field), or one that came too
    late (409: someone saved first): the page says what was wrong, in the user's language,
    instead of failing. ``kept_text`` is what the user typed, shown back so nothing is lost."""
    context = {"message": message, "kept_text": kept_text}
    return render(request, "400.html", context, status=status)


def first_error(form) -> str:
    """The first message of an invalid form, for a page that has no form to show it on."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return ""


def local_redirect(request, target: str | None, fallback):
    """Back to ``target`` when it is a path on this site ("/gemeente/…"), else to ``fallback``
    (a URL). Never treats the value as a view name, never leaves the site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)
