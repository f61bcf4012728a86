from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import path, reverse_lazy

from .forms import EmailAuthenticationForm
from .views import ThrottledPasswordResetView

app_name = "accounts"
urlpatterns = [
    path(
        "aanmelden/",
        # Not one transaction: the password hash takes half a second, and on SQLite a request
        # transaction holds the write lock for all of it. Log-in's writes (session, last log-in,
        # throttling) are separate small commits that are complete each on their own.
        transaction.non_atomic_requests(
            auth_views.LoginView.as_view(
                authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        ThrottledPasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context={"per_address": settings.PASSWORD_RESET_LIMIT_PER_ADDRESS}
        ),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
