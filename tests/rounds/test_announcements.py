"""The announcement (巡察公告): saving and publishing it, the gate of the on-site stage, the
team's pages, the printable sheet of QR codes (码上巡) and the public page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.errors import DomainError
from accounts.models import Unit
from history.tracking import event_model
from rounds import gates
from rounds.gates import unmet_gates
from rounds.models import Announcement, Inspection, InspectionSettings, StagePlan
from rounds.services import announcements as services
from rounds.services.inspections import update_inspection_settings
from rounds.taxonomy import Stage
from tests.factories import AnnouncementFactory, InspectionFactory, RoundFactory, UnitFactory

APRIL_1, APRIL_30 = datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)
VALUES = {
    "period_start": APRIL_1,
    "period_end": APRIL_30,
    "scope": "贯彻落实党中央决策部署情况",
    "phone": "028-86001234",
    "mailbox": "xcz1@example.com",
    "postal_box": "成都市第12号信箱",
    "reception_hours": "工作日8:30—17:30",
}


@pytest.fixture
def inspection(org) -> Inspection:
    return InspectionFactory(round=RoundFactory(organization=org), stage=Stage.PREPARATION)


def _at(inspection: Inspection, stage: str) -> Inspection:
    inspection.stage = stage
    inspection.save(update_fields=["stage"])
    return inspection


def _published(inspection: Inspection) -> Announcement:
    return AnnouncementFactory(inspection=inspection, published_at=timezone.now())


def _edit(inspection: Inspection) -> str:
    return reverse("rounds:announcement_edit", args=[inspection.pk])


def _public(announcement: Announcement) -> str:
    return reverse("rounds:announcement_public", args=[announcement.token])


# --- services ------------------------------------------------------------------------------


def test_saving_creates_the_announcement_with_a_long_token(inspection, office_user):
    saved = services.save_announcement(inspection=inspection, actor=office_user, **VALUES)

    row = Announcement.objects.get(inspection=inspection)
    assert (row.pk, row.phone, row.postal_box, row.published_at) == (
        saved.pk,
        "028-86001234",
        "成都市第12号信箱",
        None,
    )
    assert len(row.token) == 32


def test_saving_again_updates_the_same_row(inspection, office_user):
    services.save_announcement(inspection=inspection, actor=office_user, **VALUES)

    services.save_announcement(
        inspection=inspection, actor=office_user, **{**VALUES, "scope": "选人用人"}
    )

    assert list(Announcement.objects.values_list("scope", flat=True)) == ["选人用人"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "请输入手机号"),
        ({"mailbox": "not-an-address"}, "mailbox", "有效的电子邮件地址"),
        ({"period_end": datetime.date(2025, 3, 31)}, "period_end", "结束日期不能早于开始日期"),
        ({"period_end": datetime.date(2025, 7, 1)}, "period_start", "必须在本轮巡察期间"),
    ],
)
def test_saving_refuses_invalid_values(inspection, office_user, change, field, message):
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        services.save_announcement(inspection=inspection, actor=office_user, **VALUES | change)

    assert refused.value.field == field
    assert message in str(refused.value)
    assert not Announcement.objects.exists()


def test_the_period_defaults_to_the_planned_onsite_dates(inspection):
    StagePlan.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        stage=Stage.ONSITE,
        planned_start=APRIL_1,
        planned_end=APRIL_30,
    )

    assert services.default_period(inspection) == (APRIL_1, APRIL_30)


def test_publishing_sets_the_time(inspection, office_user):
    AnnouncementFactory(inspection=inspection)

    services.publish_announcement(inspection=inspection, actor=office_user)

    assert Announcement.objects.get().published_at is not None


def test_publishing_needs_a_saved_announcement(inspection, office_user):
    with translation.override("zh-hans"), pytest.raises(DomainError, match="请先保存巡察公告"):
        services.publish_announcement(inspection=inspection, actor=office_user)


@pytest.mark.parametrize("stage", [Stage.PLANNING, Stage.REPORTING])
def test_publishing_is_refused_outside_preparation_to_onsite(inspection, office_user, stage):
    AnnouncementFactory(inspection=_at(inspection, stage))

    with translation.override("zh-hans"), pytest.raises(DomainError, match="巡察公告在准备阶段"):
        services.publish_announcement(inspection=inspection, actor=office_user)

    assert Announcement.objects.get().published_at is None


def test_a_closed_inspections_announcement_is_not_saved(inspection, office_user):
    _at(inspection, Stage.CLOSED)

    with translation.override("zh-hans"), pytest.raises(DomainError, match="已办结"):
        services.save_announcement(inspection=inspection, actor=office_user, **VALUES)

    assert not Announcement.objects.exists()


def test_a_closed_inspections_announcement_is_not_published(inspection, office_user):
    AnnouncementFactory(inspection=_at(inspection, Stage.CLOSED))

    with pytest.raises(DomainError):
        services.publish_announcement(inspection=inspection, actor=office_user)

    assert Announcement.objects.get().published_at is None


def test_saving_and_publishing_are_recorded_in_history(inspection, office_user):
    saved = services.save_announcement(inspection=inspection, actor=office_user, **VALUES)
    services.publish_announcement(inspection=inspection, actor=office_user)

    events = event_model(Announcement).objects.filter(pgh_obj_id=saved.pk).order_by("pgh_id")
    assert [event.pgh_label for event in events] == ["insert", "update"]
    assert events.last().published_at is not None


def test_the_lead_days_setting_is_saved(org, office_user):
    update_inspection_settings(
        org=org,
        actor=office_user,
        onsite_days=30,
        rectification_months=2,
        min_supervision_visits=2,
        report_months=[3, 6],
        announcement_lead_days=7,
    )

    assert InspectionSettings.objects.get(organization=org).announcement_lead_days == 7


def test_the_lead_days_setting_is_edited_on_the_settings_page(login, office_user, org):
    data = {
        "onsite_days": 30,
        "rectification_months": 2,
        "min_supervision_visits": 2,
        "report_months": "3,6,12",
        "announcement_lead_days": 5,
    }

    response = login(office_user).post(reverse("rounds:inspection_settings"), data)

    assert response.status_code == 302
    assert InspectionSettings.objects.get(organization=org).announcement_lead_days == 5


# --- the gate ------------------------------------------------------------------------------


def test_onsite_waits_for_the_announcement(inspection):
    AnnouncementFactory(inspection=_at(inspection, Stage.MOBILIZATION))

    assert str(gates.announcement_published.message) in unmet_gates(inspection, Stage.ONSITE)


def test_a_published_announcement_meets_the_gate(inspection):
    _published(_at(inspection, Stage.MOBILIZATION))

    assert str(gates.announcement_published.message) not in unmet_gates(inspection, Stage.ONSITE)


def test_the_waiting_for_shows_the_announcement(login, office_user, inspection):
    _at(inspection, Stage.MOBILIZATION)
    url = reverse("rounds:inspection_detail", args=[inspection.pk])

    response = login(office_user).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "在现场巡察开始前发布巡察公告。" in response.context["detail"].waiting_for


# --- the team's pages ----------------------------------------------------------------------


def test_the_edit_page_saves_the_announcement(login, office_user, inspection):
    response = login(office_user).post(_edit(inspection), VALUES)

    assert response.status_code == 302
    assert Announcement.objects.get(inspection=inspection).mailbox == "xcz1@example.com"


def test_the_edit_page_shows_a_refusal_on_its_field(login, office_user, inspection):
    response = login(office_user).post(_edit(inspection), {**VALUES, "phone": "12345"})

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_the_edit_page_fills_the_planned_dates(login, office_user, inspection):
    StagePlan.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        stage=Stage.ONSITE,
        planned_start=APRIL_1,
        planned_end=APRIL_30,
    )

    response = login(office_user).get(_edit(inspection))

    assert response.context["form"].initial["period_start"] == APRIL_1
    assert response.context["due_on"] == datetime.date(2025, 3, 22)  # ten days before


def test_the_inspection_page_links_to_the_announcement(login, office_user, inspection):
    response = login(office_user).get(reverse("rounds:inspection_detail", args=[inspection.pk]))

    assert _edit(inspection) in response.content.decode()


def test_publishing_asks_for_confirmation_first(login, office_user, inspection):
    AnnouncementFactory(inspection=inspection)
    url = reverse("rounds:announcement_publish", args=[inspection.pk])

    response = login(office_user).post(url)

    assert response.status_code == 200
    assert 'name="confirmed"' in response.content.decode()
    assert Announcement.objects.get().published_at is None


def test_publishing_after_confirmation(login, office_user, inspection):
    AnnouncementFactory(inspection=inspection)
    url = reverse("rounds:announcement_publish", args=[inspection.pk])

    response = login(office_user).post(url, {"confirmed": "1"})

    assert response.status_code == 302
    assert Announcement.objects.get().published_at is not None


def test_the_printable_page_has_two_codes_per_active_unit(login, office_user, org, inspection):
    UnitFactory(organization=org, parent=inspection.unit, name="锦江营业部")
    closed = UnitFactory(organization=org, parent=inspection.unit, name="已撤销营业部")
    Unit.objects.filter(pk=closed.pk).update(is_active=False)
    _published(inspection)

    response = login(office_user).get(reverse("rounds:announcement_print", args=[inspection.pk]))

    body = response.content.decode()
    sections = re.findall(r'<section class="card qr-unit" data-unit="(\d+)">', body)
    assert len(sections) == 2
    assert body.count("<svg") == 4
    assert "锦江营业部" in body
    assert "已撤销营业部" not in body
    assert f"unit={sections[1]}&amp;for=petition" in body


@pytest.mark.parametrize("name", ["announcement_edit", "announcement_print"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("liaison_user", 403), ("team_member_user", 404), ("outsider", 404)],
    ids=["liaison-holds-no-inspection-capability", "member-of-another-team", "other-org"],
)
def test_the_team_pages_are_closed_to_others(request, login, inspection, name, persona, status):
    """As every inspection page: a role without the capability is refused, an inspection the
    member does not see is not found."""
    _published(inspection)
    client = login(request.getfixturevalue(persona))

    response = client.get(reverse(f"rounds:{name}", args=[inspection.pk]))

    assert response.status_code == status


def test_others_cannot_publish(login, liaison_user, inspection):
    AnnouncementFactory(inspection=inspection)
    url = reverse("rounds:announcement_publish", args=[inspection.pk])

    response = login(liaison_user).post(url, {"confirmed": "1"})

    assert response.status_code == 403
    assert Announcement.objects.get().published_at is None


# --- the public page -----------------------------------------------------------------------


def test_the_public_page_shows_a_published_announcement(client, inspection):
    announcement = _published(inspection)

    response = client.get(_public(announcement))

    body = response.content.decode()
    assert response.status_code == 200
    assert inspection.unit.name in body
    assert "028-12345678" in body
    assert "2025年4月1日" in body
    assert 'id="closed"' not in body


def test_the_public_page_needs_no_sign_in_and_has_no_sidebar(client, inspection):
    response = client.get(_public(_published(inspection)))

    assert response.status_code == 200
    assert "navbar-vertical" not in response.content.decode()


def test_a_signed_in_member_of_another_org_sees_it_too(login, outsider, inspection):
    response = login(outsider).get(_public(_published(inspection)))

    assert response.status_code == 200


def test_wrong_and_unpublished_tokens_are_the_same_404(client, inspection):
    unpublished = AnnouncementFactory(inspection=inspection)

    wrong = client.get(reverse("rounds:announcement_public", args=["x" * 32]))
    hidden = client.get(_public(unpublished))

    assert (wrong.status_code, hidden.status_code) == (404, 404)
    assert wrong.content == hidden.content


def test_an_unknown_unit_is_the_same_404(client, org, inspection):
    announcement = _published(inspection)
    elsewhere = UnitFactory(organization=org)

    unknown = client.get(_public(announcement), {"unit": elsewhere.pk, "for": "survey"})
    wrong = client.get(reverse("rounds:announcement_public", args=["x" * 32]))

    assert unknown.status_code == 404
    assert unknown.content == wrong.content


def test_a_sub_units_code_names_the_unit_and_its_purpose(client, org, inspection):
    branch = UnitFactory(organization=org, parent=inspection.unit, name="锦江营业部")
    announcement = _published(inspection)

    with translation.override("zh-hans"):
        response = client.get(_public(announcement), {"unit": branch.pk, "for": "petition"})

    body = response.content.decode()
    assert 'id="unit">锦江营业部' in body
    assert "信访举报码" in body


def test_after_onsite_the_page_accepts_no_input(client, inspection):
    announcement = _published(_at(inspection, Stage.REPORTING))

    response = client.get(_public(announcement))

    assert response.status_code == 200
    assert 'id="closed"' in response.content.decode()
    assert "028-12345678" in response.content.decode()
