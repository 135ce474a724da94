"""factory_boy factories. Rows that have business rules are made through the services."""

from __future__ import annotations

from typing import Any

import factory
from django.db import models

from accounts import services
from accounts.models import Membership, Organization, Unit, User
from accounts.roles import Role

PASSWORD = "Correct-horse-42"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党委{n}")
    code = factory.Sequence(lambda n: f"org{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"干部{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.Factory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    roles: Any = (Role.OFFICE,)

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Membership:
        return services.add_member(
            org=kwargs["organization"], actor=None, user=kwargs["user"], roles=kwargs["roles"]
        )


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"U{n:04d}")
    kind = Unit.Kind.BRANCH
    parent = None

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Unit:
        if kwargs["parent"] is not None:
            kwargs["organization"] = kwargs["parent"].organization
        return services.create_unit(actor=None, org=kwargs.pop("organization"), **kwargs)


# Model -> factory, used by the isolation harness to make "another tenant's object" for any
# URL. A new tenant-owned model reachable by URL needs an entry here, or the harness fails.
FACTORIES: dict[type[models.Model], Any] = {
    Membership: MembershipFactory,
    Unit: UnitFactory,
}


def make_for_org(model: type[models.Model], org: Organization) -> models.Model:
    try:
        factory_class = FACTORIES[model]
    except KeyError:
        raise LookupError(
            f"Register a factory for {model.__name__} in tests/factories.py"
        ) from None
    return factory_class(organization=org)
