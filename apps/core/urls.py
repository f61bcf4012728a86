from django.urls import path

from . import views, views_figures

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("gezond/", views.health, name="health"),
    path("gemeente/<nis:nis_code>/", views.municipality_dashboard, name="dashboard"),
    path("gemeente/<nis:nis_code>/kerncijfers/", views_figures.figures_edit, name="figures"),
]
