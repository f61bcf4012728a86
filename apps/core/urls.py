from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("gemeente/<nis:nis_code>/", views.municipality_dashboard, name="dashboard"),
]
