from django.urls import path, register_converter

from . import views, views_guest

app_name = "methods"

_ws = "gemeente/<nis:nis_code>/werkbladen/<id:worksheet_pk>/"


class GuestKeyConverter:
    """A guest's key: what secrets.token_urlsafe(32) makes; nothing else reaches the view."""

    regex = "[A-Za-z0-9_-]{20,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(GuestKeyConverter, "gastsleutel")
_guest = "gast/<gastsleutel:key>/"
urlpatterns = [
    path("gemeente/<nis:nis_code>/methoden/", views.overview, name="overview"),
    path(
        "gemeente/<nis:nis_code>/methoden/<slug:method_key>/nieuw/",
        views.worksheet_create,
        name="worksheet_create",
    ),
    path(_ws, views.worksheet_page, name="worksheet"),
    path(f"{_ws}bijdragen/", views.board_fragment, name="board"),
    path(f"{_ws}werkblad.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{_ws}bijdragen/nieuw/", views.contribution_add, name="contribution_add"),
    path(
        f"{_ws}bijdrage/<id:contribution_pk>/verwijderen/",
        views.contribution_remove,
        name="contribution_remove",
    ),
    path(f"{_ws}bijdrage/<id:contribution_pk>/stem/", views.vote, name="vote"),
    path(
        f"{_ws}bijdrage/<id:contribution_pk>/bewerken/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path(f"{_ws}bijdrage/<id:contribution_pk>/scores/", views.scores_save, name="scores_save"),
    path(f"{_ws}bijdrage/<id:contribution_pk>/voorstel/", views.to_proposal, name="to_proposal"),
    path(f"{_ws}bijdrage/<id:contribution_pk>/naar-swot/", views.to_swot, name="to_swot"),
    path(
        f"{_ws}bijdrage/<id:contribution_pk>/projectfiche/",
        views.project_sheet_start,
        name="project_sheet_start",
    ),
    path(f"{_ws}projectfiche/<id:sheet_pk>/", views.project_sheet_edit, name="project_sheet"),
    path(f"{_ws}bijdrage/<id:contribution_pk>/actie/", views.to_action, name="to_action"),
    path(f"{_ws}bijdrage/<id:contribution_pk>/naar-actoren/", views.to_actor, name="to_actor"),
    path(
        f"{_ws}bijdrage/<id:contribution_pk>/naar-indicator/",
        views.to_indicator,
        name="to_indicator",
    ),
    path(
        f"{_ws}evaluatie/naar-omgevingsanalyse/",
        views.evaluation_to_analysis,
        name="evaluation_to_analysis",
    ),
    path(f"{_ws}instellingen/", views.settings_save, name="settings"),
    path(f"{_ws}groepen/", views.group_add, name="group_add"),
    path(f"{_ws}criteria/", views.criterion_add, name="criterion_add"),
    path(f"{_ws}evaluatie/", views.evaluation_save, name="evaluation_save"),
    path(f"{_ws}uitnodigingen/", views.invitation_create, name="invitation_create"),
    path(
        f"{_ws}uitnodiging/<id:invitation_pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(_guest, views_guest.guest_page, name="guest"),
    path(f"{_guest}bijdragen/", views_guest.guest_board, name="guest_board"),
    path(f"{_guest}bijdragen/nieuw/", views_guest.guest_add, name="guest_add"),
    path(
        f"{_guest}bijdrage/<id:contribution_pk>/stem/",
        views_guest.guest_vote,
        name="guest_vote",
    ),
    path(
        f"{_guest}bijdrage/<id:contribution_pk>/verwijderen/",
        views_guest.guest_remove,
        name="guest_remove",
    ),
]
