from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self) -> None:
        from rounds.workspace import PublicForm, Section, register_public_form, register_section
        from surveys import capabilities

        capabilities.register()
        # The inspection's page links to its surveys (results are read by whoever sees it);
        # the announcement's 测评码 opens the unit's open survey.
        register_section(
            Section(key="surveys", label=_("Surveys"), url_name="surveys:survey_list", order=10)
        )
        register_public_form(
            PublicForm(
                purpose="survey",
                label=_("Answer the survey"),
                url_name="surveys:announcement_survey",
            )
        )
