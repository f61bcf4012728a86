from django.urls import path

from . import views_comments, views_history, views_notifications, views_workflow

app_name = "review"

_doc = "gemeente/<nis:nis_code>/review/<slug:kind>/<id:object_id>/"

urlpatterns = [
    # The alderman's review page, the transitions and the approved versions (workflow).
    path(_doc, views_workflow.review_page, name="review"),
    path(f"{_doc}status/", views_workflow.transition, name="transition"),
    path(
        f"{_doc}goedgekeurd/<id:approved_id>/",
        views_workflow.approved_pdf,
        name="approved_pdf",
    ),
    # Comment threads on the document and its parts.
    path(f"{_doc}opmerkingen/", views_comments.comments_page, name="comments"),
    path(f"{_doc}opmerkingen/nieuw/", views_comments.thread_create, name="thread_create"),
    path(
        f"{_doc}opmerkingen/<id:thread_id>/reageren/",
        views_comments.comment_reply,
        name="reply",
    ),
    path(
        f"{_doc}opmerkingen/<id:thread_id>/afhandelen/",
        views_comments.thread_resolve,
        name="resolve",
    ),
    path(f"{_doc}leden/", views_comments.members, name="members"),
    # History: the activity timeline, a part's versions, compare and restore.
    path(f"{_doc}geschiedenis/", views_history.timeline, name="timeline"),
    path(f"{_doc}versies/<slug:part_key>/", views_history.versions, name="versions"),
    path(
        f"{_doc}versies/<slug:part_key>/herstellen/",
        views_history.restore,
        name="restore",
    ),
    # The user's notifications.
    path("meldingen/", views_notifications.notifications, name="notifications"),
    path("meldingen/gelezen/", views_notifications.mark_read, name="mark_read"),
    path("meldingen/instellingen/", views_notifications.settings_page, name="settings"),
]
