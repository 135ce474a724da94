"""The on-site work of an inspection, as its page lists it: each app that records part of it
(surveys, interviews and checklists, document requests, petitions) registers a ``Section``
from its ``AppConfig.ready()``, so ``rounds`` links to them without importing them.

A section names the page it opens (a URL name taking the inspection's key) and what the reader
must be allowed to do on the inspection to see the link (``rounds.permissions.Action``): the
confidential areas (interviews, petitions) are ``TEAM``, shown to the inspection's team only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode

from rounds.permissions import Action, can

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import Membership
    from rounds.models import Inspection


@dataclass(frozen=True)
class Section:
    key: str
    label: StrOrPromise
    url_name: str
    action: Action = Action.VIEW
    order: int = 100


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section


def section_links(
    membership: Membership | None, inspection: Inspection
) -> list[tuple[Section, str]]:
    """The sections ``membership`` may open on ``inspection``, in order, with their addresses."""
    return [
        (section, reverse(section.url_name, args=[inspection.pk]))
        for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
        if can(membership, section.action, inspection)
    ]


@dataclass(frozen=True)
class PublicForm:
    """A form the announcement's public page opens (``purpose``: the QR code's ``?for=``), at
    a URL name taking the announcement's token; the unit goes along as ``?unit=``."""

    purpose: str
    label: StrOrPromise
    url_name: str


PUBLIC_FORMS: dict[str, PublicForm] = {}


def register_public_form(form: PublicForm) -> None:
    PUBLIC_FORMS[form.purpose] = form


def public_form_links(token: str, unit_pk: int, purpose: str = "") -> list[tuple[PublicForm, str]]:
    """The forms of the public page: the one its code is for first, then the others."""
    forms = sorted(PUBLIC_FORMS.values(), key=lambda f: (f.purpose != purpose, f.purpose))
    query = urlencode({"unit": unit_pk})
    return [(form, f"{reverse(form.url_name, args=[token])}?{query}") for form in forms]
