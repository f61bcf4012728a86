from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path(
        "gemeente/<nis:nis_code>/pdf/<slug:kind>/<id:object_id>/",
        views.document_pdf,
        name="document_pdf",
    ),
    # The memorandum's address from before the registry: linked from its page and bookmarked.
    path("gemeente/<nis:nis_code>/memorandum/pdf/", views.memorandum_pdf, name="memorandum_pdf"),
    path("gemeente/<nis:nis_code>/documenten/<uuid:job_id>/", views.job_detail, name="job"),
    path(
        "gemeente/<nis:nis_code>/documenten/<uuid:job_id>/download/",
        views.job_download,
        name="job_download",
    ),
]
