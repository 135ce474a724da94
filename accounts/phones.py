"""Phone numbers as Chinese offices write them, checked wherever one is entered (members, the
inspector pool, its XLSX import).

A number is a mobile (``13812345678``, optionally after ``+86``) or a landline with its area
code (``028-12345678``, ``0851-5123456``, ``(028)12345678``), optionally followed by an
extension (``-801``, ``转801``, ``ext 801``). Spaces are dropped and full-width characters
(``１３８…``, ``－``) read as their ASCII forms, so the stored number is the compact one.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from accounts.errors import DomainError

_MOBILE = r"(?:\+?86-?)?1[3-9]\d{9}"
# Area codes are 0 + 2 or 3 digits; local numbers have 7 or 8 digits and never start with 0.
_LANDLINE = r"(?:0\d{2,3}-?|\(0\d{2,3}\))[1-9]\d{6,7}(?:(?:-|转|#|ext\.?|x)\d{1,6})?"
PHONE_PATTERN = re.compile(rf"(?:{_MOBILE}|{_LANDLINE})", re.IGNORECASE)


def normalize_phone(phone: str) -> str:
    """``phone`` as stored: full-width forms folded, whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", phone).split())


def is_phone(phone: str) -> bool:
    """Whether ``phone`` (normalized) is a mobile or landline number; the empty value is not."""
    return PHONE_PATTERN.fullmatch(normalize_phone(phone)) is not None


def phone_error() -> str:
    return _(
        "Enter a mobile number (e.g. 13812345678) or a landline with its area code "
        "(e.g. 028-12345678, extension allowed: 028-12345678-801)."
    )


def check_phone(phone: str, *, field: str = "phone") -> str:
    """The number to store (``""`` when none is given); refuses anything that is not a phone
    number, on the form field ``field``."""
    value = normalize_phone(phone)
    if value and not is_phone(value):
        raise DomainError(phone_error(), field=field)
    return value
