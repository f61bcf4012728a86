from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from .throttle import Verdict, client_of, password_reset_request


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most a few mails an hour per address and per client.

    Over the address limit the answer is the usual "check your mailbox" page, whether or not
    the address exists; over the client limit a page says to wait, whatever was typed."""

    def form_valid(self, form):
        verdict = password_reset_request(
            email=form.cleaned_data["email"], client=client_of(self.request)
        )
        if verdict is Verdict.CLIENT_LIMIT:
            return render(
                self.request,
                "registration/password_reset_throttled.html",
                {"minutes": 60},
                status=429,
            )
        if verdict is Verdict.ADDRESS_LIMIT:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
