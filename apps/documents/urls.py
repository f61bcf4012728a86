from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("gemeente/<nis:nis_code>/memorandum/pdf/", views.memorandum_pdf, name="memorandum_pdf"),
    path("gemeente/<nis:nis_code>/documenten/<uuid:job_id>/", views.job_detail, name="job"),
    path(
        "gemeente/<nis:nis_code>/documenten/<uuid:job_id>/download/",
        views.job_download,
        name="job_download",
    ),
]
