"""Writes of the review app: transitions, approvals, comments, notifications, restores.

Each service owns its transaction and re-checks the role (apps.core.permissions); a refused
action raises ``ReviewError`` with a message for the user (or PermissionDenied for a role
that may not act at all), and nothing is written.
"""

from __future__ import annotations

import logging
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.editing import StaleVersionError, lock_version
from apps.core.models import Membership, Role
from apps.core.permissions import can_comment, can_edit, can_review
from apps.core.richtext import without_controls

from . import registry, selectors
from .models import (
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    QUOTE_MAX_LENGTH,
    Action,
    ApprovedVersion,
    Comment,
    DocumentReview,
    Notification,
    NotificationKind,
    NotificationSetting,
    Status,
    Thread,
    Transition,
)

logger = logging.getLogger(__name__)


class ReviewError(Exception):
    """A refused action; the message is for the user."""


# action: (who may, from which states, to which state)
RULES = {
    Action.SUBMIT: (Role.OPSTELLER, {Status.CONCEPT}, Status.TER_REVIEW),
    Action.WITHDRAW: (Role.OPSTELLER, {Status.TER_REVIEW}, Status.CONCEPT),
    Action.APPROVE: (Role.SCHEPEN, {Status.TER_REVIEW}, Status.GOEDGEKEURD),
    Action.SEND_BACK: (Role.SCHEPEN, {Status.TER_REVIEW}, Status.TERUGGESTUURD),
    Action.REOPEN: (Role.OPSTELLER, {Status.GOEDGEKEURD, Status.TERUGGESTUURD}, Status.CONCEPT),
}


def _clean_text(value: str | None, limit: int) -> str:
    """Plain text: tags stripped, control characters removed, trimmed, bounded."""
    text = without_controls(value or "")
    # Tags, not every "<": "3 < 5 en 6 > 4" stays as typed.
    text = re.sub(r"<[a-zA-Z/!][^>]*>", "", text).strip()
    if len(text) > limit:
        raise ReviewError(
            _("Deze tekst is te lang (hoogstens %(limit)s tekens).") % {"limit": limit}
        )
    return text


def _allowed(role: str, user, municipality) -> bool:
    return {
        Role.OPSTELLER: can_edit,
        Role.SCHEPEN: can_review,
    }[role](user, municipality)


def transition(
    *, document, action: str, by, message: str = "", expected_version: int | None = None
) -> Transition:
    """Move the document to its next state, or refuse with a message."""
    reviewable = registry.for_document(document)
    if reviewable is None:
        raise ReviewError(_("Dit document kent geen review."))
    try:
        role, sources, target = RULES[Action(action)]
    except ValueError:
        raise ReviewError(_("Onbekende actie.")) from None
    municipality = document.municipality
    if not _allowed(role, by, municipality):
        raise PermissionDenied
    message = _clean_text(message, MESSAGE_MAX_LENGTH)
    if action == Action.SEND_BACK and not message:
        raise ReviewError(_("Geef een reden op waarom het document teruggaat naar de opsteller."))
    with transaction.atomic():
        review, _created = DocumentReview.objects.get_or_create(
            kind=reviewable.key, object_id=document.pk, defaults={"municipality": municipality}
        )
        review = DocumentReview.objects.select_for_update().get(pk=review.pk)
        if expected_version is not None and review.version != expected_version:
            raise ReviewError(
                _(
                    "Iemand heeft de status van dit document intussen gewijzigd (nu: %(status)s). "
                    "Bekijk de pagina opnieuw."
                )
                % {"status": review.get_status_display()}
            )
        if review.status not in sources:
            raise ReviewError(
                _("Dat kan niet: het document is nu ‘%(status)s’.")
                % {"status": review.get_status_display()}
            )
        step = Transition(
            review=review,
            action=action,
            from_status=review.status,
            to_status=target,
            message=message,
            by=by,
        )
        if action == Action.SUBMIT:
            step.snapshot = selectors.snapshot(reviewable, document)
        step.save()
        review.status = target
        review.version += 1
        review.save(update_fields=["status", "version", "updated_at"])
        selectors.forget(document)
        document.__dict__["_lmb_review"] = review
        if action == Action.APPROVE:
            _freeze(reviewable, document, review, step, by)
        _notify_transition(reviewable, document, step, by)
    return step


def _freeze(reviewable, document, review, step, by) -> ApprovedVersion:
    """Keep what was approved: the print HTML now, its PDF rendered after the commit."""
    from apps.documents import registry as printables

    printable = printables.get(reviewable.printable)
    with translation.override(settings.LANGUAGE_CODE):
        printed = printables.build(printable, document)
        from apps.documents.pdf import BASE_URL

        html = render_to_string(
            printed.template_name, {**printed.context, "print_base_url": BASE_URL}
        )
    approved = ApprovedVersion.objects.create(
        review=review,
        transition=step,
        approved_at=step.created_at,
        approved_by=by,
        filename=printed.filename.replace(".pdf", f"-goedgekeurd-{step.created_at:%Y-%m-%d}.pdf"),
        html=html,
    )
    from .tasks import enqueue_approved_render

    enqueue_approved_render(approved.pk)
    return approved


def approved_render_run(*, approved_id: int) -> None:
    """Render a frozen approval to PDF; the outcome lands on the row, never as an exception."""
    from apps.documents.pdf import render_html_pdf

    approved = ApprovedVersion.objects.filter(
        pk=approved_id, render_status=ApprovedVersion.RenderStatus.PENDING
    ).first()
    if approved is None:
        return
    try:
        pdf = render_html_pdf(approved.html)
    except Exception as exc:
        logger.exception("Goedgekeurde versie %s: PDF mislukt", approved_id)
        ApprovedVersion.objects.filter(pk=approved_id).update(
            render_status=ApprovedVersion.RenderStatus.FAILED, error=type(exc).__name__
        )
        return
    ApprovedVersion.objects.filter(pk=approved_id).update(
        render_status=ApprovedVersion.RenderStatus.DONE, pdf=pdf, size=len(pdf)
    )


# --- comments ------------------------------------------------------------------------------

# "@jan" or, when two members share the local part, the whole address "@jan@gemeente.be".
MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9][\w.+-]*(?:@[\w-]+(?:\.[\w-]+)+)?)")


def members_for_mentions(municipality) -> list:
    """The municipality's members as (handle, user), the handle being the e-mail's local part
    (the whole address when two members share it)."""
    users = [
        m.user
        for m in Membership.objects.filter(municipality=municipality, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]
    locals_ = [u.email.split("@")[0].lower() for u in users]
    return [
        (local if locals_.count(local) == 1 else user.email.lower(), user)
        for local, user in zip(locals_, users, strict=True)
    ]


def _mentioned(text: str, municipality) -> list:
    handles = {h.lower().rstrip(".") for h in MENTION.findall(text)}
    if not handles:
        return []
    # The handle the suggestions insert, or the member's whole address typed out.
    return [
        user
        for handle, user in members_for_mentions(municipality)
        if handle in handles or user.email.lower() in handles
    ]


def thread_start(*, document, part_key: str = "", quote: str = "", text: str, by) -> Thread:
    reviewable = registry.for_document(document)
    if reviewable is None:
        raise ReviewError(_("Dit document kent geen opmerkingen."))
    if not can_comment(by, document.municipality):
        raise PermissionDenied
    text = _clean_text(text, COMMENT_MAX_LENGTH)
    if not text:
        raise ReviewError(_("Schrijf eerst je opmerking."))
    quote = _clean_text(quote, QUOTE_MAX_LENGTH)
    label = ""
    if part_key:
        part = selectors.find_part(reviewable, document, part_key)
        if part is None:
            raise ReviewError(_("Dat onderdeel bestaat niet (meer) in dit document."))
        label = str(part.label)[:300]
    with transaction.atomic():
        thread = Thread.objects.create(
            municipality=document.municipality,
            kind=reviewable.key,
            object_id=document.pk,
            part_key=part_key,
            part_label=label,
            quote=quote,
            created_by=by,
        )
        _add_comment(thread, text, by)
    return thread


def comment_reply(*, thread: Thread, text: str, by) -> Comment:
    if not can_comment(by, thread.municipality):
        raise PermissionDenied
    text = _clean_text(text, COMMENT_MAX_LENGTH)
    if not text:
        raise ReviewError(_("Schrijf eerst je reactie."))
    with transaction.atomic():
        Thread.objects.select_for_update().get(pk=thread.pk)
        participants = set(
            Comment.objects.filter(thread=thread).values_list("author_id", flat=True)
        )
        comment = _add_comment(thread, text, by)
        mentioned = {u.pk for u in comment.mentions.all()}
        recipients = [
            m.user
            for m in Membership.objects.filter(
                municipality=thread.municipality,
                user_id__in=participants - {by.pk, None} - mentioned,
                user__is_active=True,
            ).select_related("user")
        ]
        _notify_thread(
            recipients,
            thread,
            NotificationKind.REPLY,
            _("%(who)s reageerde op een opmerking bij %(what)s"),
            text,
            by,
        )
    return comment


def _add_comment(thread, text, by) -> Comment:
    comment = Comment.objects.create(thread=thread, author=by, text=text)
    mentioned = [u for u in _mentioned(text, thread.municipality) if u.pk != by.pk]
    if mentioned:
        comment.mentions.set(mentioned)
    _notify_thread(
        mentioned,
        thread,
        NotificationKind.MENTION,
        _("%(who)s vermeldt je in een opmerking bij %(what)s"),
        text,
        by,
    )
    return comment


def _notify_thread(users, thread: Thread, kind, title: str, text: str, by) -> None:
    """Notify ``users`` of a comment in ``thread``; ``title`` names %(who)s and %(what)s."""
    for user in users:
        notify(
            user=user,
            municipality=thread.municipality,
            kind=kind,
            title=title % {"who": _name(by), "what": _thread_subject(thread)},
            body=text,
            url=_thread_url(thread),
            actor=by,
        )


def thread_resolve(*, thread: Thread, by, resolved: bool = True) -> Thread:
    if not can_comment(by, thread.municipality):
        raise PermissionDenied
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if resolved and thread.resolved_at is None:
            thread.resolved_at = timezone.now()
            thread.resolved_by = by
        elif not resolved:
            thread.resolved_at = None
            thread.resolved_by = None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def _thread_subject(thread: Thread) -> str:
    label = str(registry.get(thread.kind).label)
    return f"{label}: {thread.part_label}" if thread.part_label else label


def _thread_url(thread: Thread) -> str:
    from django.urls import reverse

    return (
        reverse(
            "review:comments",
            args=[thread.municipality.nis_code, thread.kind, thread.object_id],
        )
        + f"#thread-{thread.pk}"
    )


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else _("iemand")


# --- notifications -------------------------------------------------------------------------


def _settings_for(user, kind) -> tuple[bool, bool]:
    row = NotificationSetting.objects.filter(user=user, kind=kind).first()
    return (row.by_mail, row.in_app) if row else (True, True)


def notify(*, user, municipality, kind, title: str, body: str = "", url: str, actor=None):
    """A notification in the app and/or by mail, as the user chose for this kind. The mail
    leaves after the commit, so a refused write sends nothing."""
    by_mail, in_app = _settings_for(user, kind)
    if not by_mail and not in_app:
        return None
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user,
            municipality=municipality,
            kind=kind,
            title=title[:300],
            body=body[:2000],
            url=url[:500],
            actor=actor,
            mailed=by_mail,
        )
    if by_mail and user.email:
        transaction.on_commit(partial(_send, user.email, title, body, url))
    return notification


def _send(address: str, title: str, body: str, url: str) -> None:
    from django.urls import reverse

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    text = render_to_string(
        "review/mail.txt",
        {
            "title": title,
            "body": body,
            "url": f"{base}{url}",
            "settings_url": f"{base}{reverse('review:settings')}",
        },
    )
    # A header is one line: a part's name with a line break in it must not stop the mail.
    subject = " ".join(f"[LMB Planner] {title}".split())[:200]
    try:
        send_mail(
            subject=subject,
            message=text,
            from_email=None,
            recipient_list=[address],
        )
    except Exception:
        # A mail server that is down must not undo the comment or the approval.
        logger.exception("Melding naar %s niet verstuurd", address)


def _members(municipality, role) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            municipality=municipality, role=role, user__is_active=True
        ).select_related("user")
    ]


def _notify_transition(reviewable, document, step: Transition, by) -> None:
    from django.urls import reverse

    label = str(reviewable.label)
    municipality = document.municipality
    review_url = reverse("review:review", args=[municipality.nis_code, reviewable.key, document.pk])
    if step.action == Action.SUBMIT:
        recipients, kind = _members(municipality, Role.SCHEPEN), NotificationKind.SUBMITTED
        title = _("%(who)s diende %(what)s in ter review") % {"who": _name(by), "what": label}
    elif step.action in (Action.APPROVE, Action.SEND_BACK):
        recipients, kind = _members(municipality, Role.OPSTELLER), NotificationKind.DECIDED
        title = (
            _("%(who)s keurde %(what)s goed")
            if step.action == Action.APPROVE
            else _("%(who)s stuurde %(what)s terug")
        ) % {"who": _name(by), "what": label}
    else:
        return
    for user in recipients:
        if user.pk != by.pk:
            notify(
                user=user,
                municipality=municipality,
                kind=kind,
                title=title,
                body=step.message,
                url=review_url,
                actor=by,
            )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=user).unread()
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def notification_settings_save(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    with transaction.atomic():
        for kind in NotificationKind:
            by_mail, in_app = choices.get(kind, (True, True))
            NotificationSetting.objects.update_or_create(
                user=user, kind=kind, defaults={"by_mail": by_mail, "in_app": in_app}
            )


# --- history -------------------------------------------------------------------------------


def version_restore(*, document, part, history_id: int, expected_version: int, by):
    """Bring back a part's texts as they were in one version, as a new version; the version
    it replaces stays in the history. Refused while the document is not editable."""
    if not can_edit(by, document.municipality):
        raise PermissionDenied
    reason = selectors.edit_guard(document)
    if reason:
        raise ReviewError(reason)
    record = part.instance.history.filter(history_id=history_id).first()
    if record is None:
        raise ReviewError(_("Die versie bestaat niet (meer)."))
    with transaction.atomic():
        try:
            current = lock_version(part.model, part.instance.pk, expected_version)
        except part.model.DoesNotExist:
            raise ReviewError(_("Dit onderdeel bestaat niet meer.")) from None
        for name in part.fields:
            setattr(current, name, getattr(record, name))
        current.touch(by)
        try:
            # Only the restored texts changed: the row's constraints hold as they did.
            current.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise ReviewError(
                _("Deze versie kan niet hersteld worden: %(reason)s")
                % {"reason": " ".join(error.messages)}
            ) from None
        current.save()
    return current


__all__ = [
    "RULES",
    "ReviewError",
    "StaleVersionError",
    "approved_render_run",
    "comment_reply",
    "members_for_mentions",
    "notification_settings_save",
    "notifications_mark_read",
    "notify",
    "thread_resolve",
    "thread_start",
    "transition",
    "version_restore",
]
