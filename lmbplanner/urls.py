from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "LMB Planner — beheer"
admin.site.site_title = "LMB Planner"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("account/", include("apps.accounts.urls")),
    path("bibliotheek/", include("apps.library.urls")),
    path("", include("apps.beleidsvoorstellen.urls")),
    path("", include("apps.omgevingsanalyse.urls")),
    path("", include("apps.meerjarenplan.urls")),
    path("", include("apps.methods.urls")),
    path("", include("apps.documents.urls")),
    path("", include("apps.review.urls")),
    path("", include("apps.core.urls")),
]
