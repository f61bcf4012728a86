from django.urls import path

from . import views

app_name = "beleidsvoorstellen"

_base = "gemeente/<nis:nis_code>/memorandum/"
urlpatterns = [
    path(_base, views.memorandum_detail, name="memorandum"),
    path(f"{_base}starten/", views.memorandum_start, name="start"),
    path(f"{_base}inleiding/", views.introduction_edit, name="introduction"),
    path(f"{_base}bibliotheek/", views.library_browse, name="library"),
    path(f"{_base}bibliotheek/<id:library_pk>/overnemen/", views.proposal_adopt, name="adopt"),
    path(f"{_base}voorstel/nieuw/", views.proposal_create, name="proposal_create"),
    path(f"{_base}voorstel/<id:pk>/", views.proposal_edit, name="proposal_edit"),
    path(f"{_base}voorstel/<id:pk>/verwijderen/", views.proposal_delete, name="proposal_delete"),
    path(f"{_base}voorstel/<id:pk>/verplaatsen/", views.proposal_move, name="proposal_move"),
    path(
        f"{_base}voorstel/<id:pk>/bibliotheekwijziging/",
        views.proposal_library_change,
        name="library_change",
    ),
]
