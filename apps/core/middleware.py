import re

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from .http import bad_request


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose otherwise with the language switch.

    Django's own middleware follows the browser's Accept-Language header; many civil servants
    work in an English-language browser but expect the app in Dutch, so only the explicit
    choice (the language cookie) counts here.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Browser features the app never uses, switched off for its pages and anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def permissions_policy(get_response):
    """Adds the Permissions-Policy header to every response."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # exactly Unicode's category Cc


def _has_control_character(value: str) -> bool:
    return _CONTROL.search(value) is not None


def reject_control_characters(get_response):
    """No page of the app has a control character (NUL, escape, …) in its address: such a path
    is a 404 and such a query parameter a 400, before any view hands it to the database
    (PostgreSQL refuses NUL in text)."""

    def middleware(request):
        if _has_control_character(request.path):
            raise Http404
        for key, values in request.GET.lists():
            if _has_control_character(key) or any(_has_control_character(v) for v in values):
                return bad_request(
                    request,
                    _("Het adres bevat ongeldige tekens (zoals een nul- of stuurteken)."),
                )
        return get_response(request)

    return middleware
