"""Where document requests show in the inspection's work: a section of its page."""

from django.utils.translation import gettext_lazy as _

from rounds.permissions import Action
from rounds.workspace import Section, register_section


def register() -> None:
    register_section(
        Section(
            key="documents",
            label=_("Document requests"),
            url_name="documents:request_list",
            action=Action.VIEW,
            order=30,
        )
    )
