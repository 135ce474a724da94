"""Trigger-based history: every tenant model tracked, append-only, context on every event."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.apps import apps
from django.core.management import call_command, get_commands, load_command_class
from django.db import DatabaseError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Unit
from history.context import RecordedCommand
from history.tracking import event_model
from tests.factories import UnitFactory
from xuncha.tenancy import TenantModel, dangerously_unscoped

OUR_APPS = {
    "accounts",
    "files",
    "rounds",
    "surveys",
    "interviews",
    "documents",
    "rectification",
    "clues",
    "demo",
    "history",
}


def _tenant_models() -> list[type]:
    return [model for model in apps.get_models() if issubclass(model, TenantModel)]


def _events(unit: Unit, label: str | None = None) -> list:
    events = event_model(Unit).objects.filter(pgh_obj_id=unit.pk).order_by("pgh_id")
    return list(events.filter(pgh_label=label) if label else events)


def test_the_walk_finds_the_tenant_models():
    assert {"accounts.Unit", "rounds.Inspection", "rounds.Team"} <= {
        model._meta.label for model in _tenant_models()
    }


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda model: model._meta.label)
def test_every_tenant_model_keeps_history_with_its_organization(model):
    events = event_model(model)

    assert events is not None, f"{model._meta.label}: decorate it with history.tracking.track()"
    assert "organization_id" in {field.attname for field in events._meta.concrete_fields}


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda model: model._meta.label)
def test_every_event_table_is_append_only(model):
    triggers = [trigger.name for trigger in event_model(model)._meta.triggers]

    assert "append_only" in triggers


def test_creating_a_unit_records_an_insert_event_of_its_organization(org):
    unit = UnitFactory(organization=org, name="成都分公司")

    (event,) = _events(unit)

    assert (event.pgh_label, event.name, event.organization_id) == ("insert", "成都分公司", org.pk)


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_an_event_row_cannot_be_changed_or_deleted(org, statement):
    unit = UnitFactory(organization=org)
    rows = event_model(Unit).objects.filter(pgh_obj_id=unit.pk)

    with pytest.raises(DatabaseError, match="append_only"), transaction.atomic():
        rows.update(name="篡改") if statement == "update" else rows.delete()

    assert rows.get().name == unit.name


def test_saving_an_unchanged_row_writes_no_event(org):
    unit = UnitFactory(organization=org)

    unit.save()

    assert [event.pgh_label for event in _events(unit)] == ["insert"]


def test_an_edit_service_without_changes_writes_no_event(org, admin_user):
    unit = UnitFactory(organization=org, name="绵阳分公司", code="my")

    services.update_unit(unit=unit, actor=admin_user, name="绵阳分公司", code="my", kind=unit.kind)

    assert _events(unit, "update") == []


def test_moving_a_subtree_records_an_event_for_every_moved_unit(admin_user, unit_tree):
    services.move_unit(
        unit=unit_tree["chengdu"], actor=admin_user, new_parent=unit_tree["mianyang"]
    )

    moved = {name: len(_events(unit_tree[name], "update")) for name in unit_tree}
    assert moved == {"chengdu": 1, "jinjiang": 1, "outlet": 1, "mianyang": 0}


def test_a_subtree_event_keeps_the_new_path(admin_user, unit_tree):
    services.move_unit(
        unit=unit_tree["chengdu"], actor=admin_user, new_parent=unit_tree["mianyang"]
    )

    (event,) = _events(unit_tree["outlet"], "update")
    assert event.path.startswith(unit_tree["mianyang"].path)
    assert event.depth == 3


def test_a_request_records_its_user_organization_and_path(login, org, admin_user, unit_tree):
    url = reverse("accounts:unit_edit", args=[unit_tree["mianyang"].pk])

    login(admin_user).post(url, {"name": "绵阳市分公司", "code": "my", "kind": "branch"})

    (event,) = _events(unit_tree["mianyang"], "update")
    assert event.pgh_context == {"user": admin_user.pk, "org": org.pk, "url": url}


@shared_task
def _rename_unit(*, unit_id: int, actor_id: int, organization_id: int) -> None:
    Unit.objects.filter(pk=unit_id).update(name="任务改名")


def test_a_task_records_its_name_and_the_actor_it_was_given(org, admin_user, unit_tree):
    unit = unit_tree["mianyang"]

    _rename_unit.apply(
        kwargs={"unit_id": unit.pk, "actor_id": admin_user.pk, "organization_id": org.pk}
    )

    (event,) = _events(unit, "update")
    assert event.pgh_context == {"user": admin_user.pk, "org": org.pk, "task": _rename_unit.name}


def _our_commands() -> list[str]:
    return [name for name, app in get_commands().items() if app in OUR_APPS]


def test_the_walk_finds_our_commands():
    assert {"create_tenant", "seed_demo"} <= set(_our_commands())


@pytest.mark.parametrize("name", _our_commands())
def test_every_command_records_its_changes_as_made_by_it(name):
    command = load_command_class(get_commands()[name], name)

    assert isinstance(command, RecordedCommand)


def test_a_command_records_its_name(db, monkeypatch):
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "Strong-Pass-2026")
    call_command("create_tenant", "--name", "安顺市委", "--code", "anshun", "--admin", "zhang")

    with dangerously_unscoped():
        event = event_model(Membership).objects.get(pgh_label="insert")
    assert event.pgh_context == {"user": None, "org": None, "command": "create_tenant"}
