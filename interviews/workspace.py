"""Where interviews and checklists show in the inspection's work: the interviews for its team
only, the checklists (what is done, what is missing) for whoever sees the inspection."""

from django.utils.translation import gettext_lazy as _

from rounds.permissions import Action
from rounds.workspace import Section, register_section


def register() -> None:
    register_section(
        Section(
            key="interviews",
            label=_("Interviews"),
            url_name="interviews:interview_list",
            action=Action.TEAM,
            order=20,
        )
    )
    register_section(
        Section(key="checklists", label=_("Checklists"), url_name="interviews:checklist", order=25)
    )
