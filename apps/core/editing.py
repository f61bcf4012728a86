"""What every edited document shares: who changed a row last and when, optimistic locking by
version number, and the edit page's flow (load, save, refuse a stale save keeping the text).

A document app's models inherit ``Edited``; its services call ``lock_version`` inside their
transaction; its views call ``versioned_edit`` with a form that inherits
``apps.core.richtext.VersionedForm``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords


class Edited(models.Model):
    """What every edited row carries: who changed it last, when, and a version number for
    optimistic locking (each edit form carries the version it was loaded with)."""

    version = models.PositiveIntegerField(gettext_lazy("versie"), default=1)
    created_at = models.DateTimeField(gettext_lazy("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("laatst gewijzigd door"),
    )

    # Every saved change is kept as a version (apps/review shows, compares and restores them).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @property
    def _history_user(self):
        """Who made a version: the row's own ``updated_by`` (services set it, not requests)."""
        return self.updated_by

    def touch(self, by) -> None:
        """Count one more version, by ``by`` (call before saving a locked row)."""
        self.version += 1
        self.updated_by = by


class DocumentLocked(PermissionDenied):
    """The document cannot be changed now (for example: it is under review); the message
    says why and what to do, and the 403 page shows it."""


# Checks that may forbid editing a whole document: ``guard(document)`` returns the reason, or
# None. apps/review registers the review state's; core itself names no app.
_edit_guards: list[Callable] = []


def register_edit_guard(guard: Callable) -> None:
    if guard not in _edit_guards:
        _edit_guards.append(guard)


def edit_block(document) -> str | None:
    """Why ``document`` cannot be edited now, or None when it can."""
    if document is None:
        return None
    for guard in _edit_guards:
        reason = guard(document)
        if reason:
            return reason
    return None


def delete_by(rows, by) -> None:
    """Delete edited rows as ``by``: the history's deletion record names who deleted, not
    who edited last (django-simple-history takes the user from ``updated_by``)."""
    for row in rows:
        row.updated_by = by
        row.delete()


def require_editable(document) -> None:
    """Refuse a write to a document that is locked now (services call it after the role
    check, so no path around the views can change a document under review)."""
    reason = edit_block(document)
    if reason:
        raise DocumentLocked(reason)


class StaleVersionError(Exception):
    """Someone saved the row after this form was loaded; ``current`` is the saved row."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Jouw tekst is niet opgeslagen maar "
                "staat hieronder nog in het formulier; vergelijk met de opgeslagen versie en "
                "sla opnieuw op om jouw versie te bewaren."
            )
        )


def lock_version(model, pk: int, expected_version: int):
    """The row, locked for the current transaction; refused if it moved past the version the
    form was loaded with. Call inside ``transaction.atomic()``."""
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != expected_version:
        raise StaleVersionError(current)
    return current


def rebind_with_version(form_class, data, version: int, **kwargs):
    """The user's submitted text stays in the form; the version moves to the saved one, so a
    second save deliberately keeps this text."""
    data = data.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def versioned_edit(
    request,
    *,
    form_class,
    initial: Callable[[], dict],
    save: Callable,
    success_url: str,
    success_message: str,
    template: str,
    context: dict,
    form_kwargs: dict | None = None,
):
    """The edit page of any document text: GET shows the form with ``initial()``; a valid POST
    calls ``save(form)`` and redirects; a stale save answers 409 with the typed text still in
    the form and the saved row beside it (``conflict.current``)."""
    form_kwargs = form_kwargs or {}
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                save(form)
            except StaleVersionError as error:
                conflict = error
                form = rebind_with_version(
                    form_class, request.POST, error.current.version, **form_kwargs
                )
            else:
                messages.success(request, success_message)
                return redirect(success_url)
    else:
        form = form_class(initial=initial(), **form_kwargs)
    return render(
        request,
        template,
        {**context, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )
