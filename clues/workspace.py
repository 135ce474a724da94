"""Where petitions show in the inspection's work: a section of its page for the team, and the
petition form of the announcement's public page (the 信访举报码)."""

from django.utils.translation import gettext_lazy as _

from rounds.permissions import Action
from rounds.workspace import PublicForm, Section, register_public_form, register_section


def register() -> None:
    register_section(
        Section(
            key="petitions",
            label=_("Petitions"),
            url_name="clues:petition_list",
            action=Action.TEAM,
            order=40,
        )
    )
    register_public_form(
        PublicForm(purpose="petition", label=_("File a petition"), url_name="clues:petition_public")
    )
