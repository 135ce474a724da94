"""Petition pages: the public form and its receipt, the status check, the same 404 for every
wrong address, and the team's and clue handlers' pages — closed (404) to everybody else,
route by route, every read logged, the identity shown only on an explicit reveal."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clues import services
from clues.crypto import Identity, encrypt_identity
from clues.models import Channel, Petition, PetitionAttachment, PetitionRead, Status
from files.models import StoredFile
from rounds.taxonomy import Stage
from tests.clues.fixtures import forged, png
from tests.conftest import make_api_token
from tests.factories import AnnouncementFactory, UnitFactory
from tests.factories_clues import PetitionAttachmentFactory, PetitionFactory
from tests.test_isolation import SCOPED, _call

CLUE_ROUTES = [route for route in SCOPED if "petition" in route.name]
CODE = re.compile(r'id="receipt-code">([A-Z2-9-]{19})<')


def _form(announcement, **params):
    return reverse("clues:petition_public", args=[announcement.token]) + (
        f"?unit={params['unit']}" if "unit" in params else ""
    )


def _post(client, announcement, **changes):
    data = {"sent_as": "anonymous", "content": "反映某分局违规发放津补贴、公车私用。", **changes}
    return client.post(_form(announcement), data)


# --- the public form ---------------------------------------------------------------------------


def test_the_public_form_needs_no_sign_in(client, announcement):
    response = client.get(_form(announcement))

    assert response.status_code == 200
    assert 'id="petition-form"' in response.content.decode()


def test_a_petition_returns_its_receipt_code_once(client, announcement):
    response = _post(client, announcement, photos=[png()])

    body = response.content.decode()
    code = CODE.search(body).group(1)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    petition = Petition.objects.get()
    assert PetitionAttachment.objects.filter(petition=petition).count() == 1
    assert code not in client.get(_form(announcement)).content.decode()


def test_the_status_page_shows_the_status_by_code(client, announcement):
    code = CODE.search(_post(client, announcement).content.decode()).group(1)

    response = client.post(reverse("clues:petition_status"), {"code": code})

    assert response.status_code == 200
    assert 'id="status-found"' in response.content.decode()
    assert "违规发放" not in response.content.decode()  # the status only, never the content


def test_an_unknown_code_is_not_found(client, db):
    response = client.post(reverse("clues:petition_status"), {"code": "ABCD-EFGH-JKLM-NPQR"})

    assert response.status_code == 404
    assert 'id="status-unknown"' in response.content.decode()


def test_guessing_codes_is_rate_limited(client, db):
    for _ in range(services.STATUS_CHECK_LIMIT[0]):
        client.post(reverse("clues:petition_status"), {"code": "ABCD-EFGH-JKLM-NPQR"})

    response = client.post(reverse("clues:petition_status"), {"code": "ABCD-EFGH-JKLM-NPQR"})

    assert response.status_code == 429


def test_too_many_petitions_from_one_client_are_429_and_store_nothing(client, announcement):
    for _ in range(services.CLIENT_LIMIT[0]):
        assert _post(client, announcement).status_code == 200

    response = _post(client, announcement)

    assert response.status_code == 429
    assert "请一小时后再试" in response.content.decode()
    assert Petition.objects.count() == services.CLIENT_LIMIT[0]


def test_a_forged_photo_is_refused_with_nothing_stored(client, announcement):
    files = StoredFile.objects.count()

    response = _post(client, announcement, photos=[forged()])

    assert response.status_code == 400
    assert "只接受" in response.content.decode()
    assert not Petition.objects.exists()
    assert StoredFile.objects.count() == files


def test_a_real_name_petition_without_a_name_is_shown_again(client, announcement):
    response = _post(client, announcement, sent_as="real_name", phone="13812345678")

    assert response.status_code == 400
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "content", ["<script>alert(1)</script>", "' OR 1=1 --", "\u202e反向文字", "𠮷" * 50]
)
def test_hostile_content_is_kept_as_text(client, announcement, login, leader, content):
    _post(client, announcement, content=content)

    petition = Petition.objects.get()
    assert petition.content == content
    body = login(leader).get(reverse("clues:petition_detail", args=[petition.pk])).content
    assert b"<script>alert(1)</script>" not in body


def test_after_onsite_the_form_says_petitions_are_closed(client, announcement, inspection):
    inspection.stage = Stage.REPORTING
    inspection.save(update_fields=["stage"])

    page = client.get(_form(announcement))
    posted = _post(client, announcement)

    assert 'id="closed"' in page.content.decode()
    assert 'id="petition-form"' not in page.content.decode()
    assert posted.status_code == 400
    assert not Petition.objects.exists()


def test_wrong_token_unpublished_and_unknown_unit_are_the_same_404(
    client, org, inspection, announcement
):
    unpublished = AnnouncementFactory()
    wrong = client.get(reverse("clues:petition_public", args=["x" * 32]))
    hidden = client.get(_form(unpublished))
    unknown = client.get(_form(announcement, unit=UnitFactory(organization=org).pk))
    rounds_404 = client.get(reverse("rounds:announcement_public", args=["x" * 32]))

    assert {wrong.status_code, hidden.status_code, unknown.status_code} == {404}
    assert wrong.content == hidden.content == unknown.content == rounds_404.content


def test_a_sub_units_code_files_the_petition_for_it(client, org, announcement, inspection):
    branch = UnitFactory(organization=org, parent=inspection.unit, name="锦江营业部")

    client.post(
        _form(announcement, unit=branch.pk), {"sent_as": "anonymous", "content": "反映问题。"}
    )

    assert Petition.objects.get().unit == branch


# --- who sees the team's pages ---------------------------------------------------------------


@pytest.fixture
def petition(inspection):
    return PetitionFactory(
        inspection=inspection,
        is_anonymous=False,
        identity=encrypt_identity(Identity(name="王建国", phone="13812345678")),
    )


def _addresses(inspection, petition):
    attachment = PetitionAttachmentFactory(petition=petition)
    urls = []
    for route in CLUE_ROUTES:
        kwargs = {}
        for name in route.kwarg_names:
            model = getattr(route.view_class, "model", None) or getattr(
                getattr(route.view_class, "queryset", None), "model", None
            )
            value = {"Inspection": inspection, "Petition": petition}.get(
                model.__name__ if model else "", attachment
            )
            if name == "inspection_pk":
                value = inspection
            kwargs[name] = value.pk
        urls.append((route, reverse(route.name, kwargs=kwargs)))
    return urls


@pytest.mark.parametrize(
    "persona", ["unit_liaison", "office_user", "leadership_user", "other_team_user"]
)
def test_everybody_but_the_team_and_the_clue_handlers_gets_404(
    request, persona, inspection, petition
):
    user = request.getfixturevalue(persona)
    page, api = (
        Client(),
        Client(
            headers={"Authorization": f"Bearer {make_api_token(user, inspection.organization)}"}
        ),
    )
    page.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    opened = []
    for route, url in _addresses(inspection, petition):
        client = api if route.is_api else page
        for method in ("get", "post", "patch", "put", "delete"):
            if not route.handles(method):
                continue
            response = _call(client, method, url) if route.is_api else getattr(client, method)(url)
            if persona == "other_team_user" and not route.kwarg_names:  # their own lists
                assert "违规发放" not in response.content.decode()
                continue
            if response.status_code != 404:
                opened.append(f"{method} {route.name} {response.status_code}")
    assert opened == []
    assert not PetitionRead.objects.exists()


def test_the_team_member_reads_the_petition_and_the_read_is_logged(
    login, team_member_user, petition
):
    response = login(team_member_user).get(reverse("clues:petition_detail", args=[petition.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "违规发放津补贴" in body
    assert "王建国" not in body  # real-name, but not who
    assert 'id="reveal-identity"' not in body
    assert PetitionRead.objects.filter(reader=team_member_user, what="detail").count() == 1


def test_the_leader_reveals_the_identity_on_purpose(login, leader, petition):
    client = login(leader)
    page = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()

    revealed = client.post(reverse("clues:petition_identity", args=[petition.pk]))

    assert "王建国" not in page
    assert 'id="reveal-identity"' in page
    assert "王建国" in revealed.content.decode()
    assert PetitionRead.objects.filter(reader=leader, what="identity").count() == 1


def test_a_team_member_cannot_reveal_the_identity(login, team_member_user, petition):
    response = login(team_member_user).post(reverse("clues:petition_identity", args=[petition.pk]))

    assert response.status_code == 404
    assert not PetitionRead.objects.filter(what="identity").exists()


def test_the_clue_handler_reads_every_petition_logged(login, clue_handler_user, petition):
    client = login(clue_handler_user)

    listing = client.get(reverse("clues:petition_all"))
    detail = client.get(reverse("clues:petition_detail", args=[petition.pk]))
    revealed = client.post(reverse("clues:petition_identity", args=[petition.pk]))

    assert listing.status_code == detail.status_code == revealed.status_code == 200
    assert "王建国" in revealed.content.decode()
    assert list(
        PetitionRead.objects.filter(reader=clue_handler_user).values_list("what", flat=True)
    ) == ["identity", "detail"]


def test_an_attachment_download_is_logged(login, team_member_user, petition):
    attachment = PetitionAttachmentFactory(petition=petition)

    response = login(team_member_user).get(
        reverse("clues:petition_attachment", args=[attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert PetitionRead.objects.filter(what="attachment", reader=team_member_user).exists()


def test_the_team_records_a_letter_with_a_scan(login, team_member_user, inspection):
    response = login(team_member_user).post(
        reverse("clues:petition_create", args=[inspection.pk]),
        {
            "channel": Channel.LETTER,
            "received_on": timezone.localdate().isoformat(),
            "unit": inspection.unit.pk,
            "sent_as": "anonymous",
            "content": "来信反映公车私用。",
            "attachments": [png("来信.png")],
        },
    )

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert (petition.channel, petition.received_by) == (Channel.LETTER, team_member_user)
    assert petition.attachments.count() == 1


def test_the_status_is_changed_on_the_page(login, leader, petition):
    client = login(leader)

    client.post(reverse("clues:petition_status_change", args=[petition.pk]), {"status": "handled"})

    petition.refresh_from_db()
    assert petition.status == Status.HANDLED


def test_the_history_shows_changes_without_the_identity(login, leader, petition):
    client = login(leader)
    client.post(reverse("clues:petition_status_change", args=[petition.pk]), {"status": "handled"})

    body = client.get(reverse("clues:petition_detail", args=[petition.pk])).content.decode()

    assert "修改记录" in body
    assert "已办理" in body
    assert "gAAAA" not in body  # no ciphertext either


def test_the_list_filters_by_channel_and_status(login, leader, inspection):
    PetitionFactory(inspection=inspection, channel=Channel.PHONE)
    PetitionFactory(inspection=inspection, channel=Channel.LETTER, status=Status.HANDLED)

    client = login(leader)
    url = reverse("clues:petition_list", args=[inspection.pk])
    by_channel = client.get(url, {"channel": "letter"})
    by_status = client.get(url, {"status": "received"})

    assert len(by_channel.context["petitions"]) == 1
    assert by_status.context["petitions"][0].channel == Channel.PHONE


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_queries_at_any_size(
    login, leader, inspection, count, django_assert_num_queries
):
    for _ in range(count):
        PetitionAttachmentFactory(petition=PetitionFactory(inspection=inspection))
    client = login(leader)
    url = reverse("clues:petition_list", args=[inspection.pk])
    client.get(url)

    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["petitions"]) == count


QUERIES = 10  # session, membership, grants, the inspection, the page of petitions, history…
