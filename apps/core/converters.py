"""Path converters for the identifiers the app reads from its URLs.

Django's ``str`` and ``int`` converters accept values the database refuses (a NUL byte, a
number beyond a 64-bit key): those must be a 404, never a database error. Every URL segment
that names a municipality or a row goes through one of these.
"""

from django.urls import register_converter


class NisCodeConverter:
    """A municipality's NIS code: five digits."""

    regex = "[0-9]{5}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class IdConverter:
    """A primary key: at most 18 digits, so it always fits a 64-bit column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(NisCodeConverter, "nis")
    register_converter(IdConverter, "id")
