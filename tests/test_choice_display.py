"""Tenant models' get_<field>_display (TenantModel's faster override) reads as Django's own."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from xuncha.tenancy import TenantModel

CHOICE_FIELDS = [
    (model, fld)
    for model in apps.get_models()
    if issubclass(model, TenantModel)
    for fld in model._meta.concrete_fields
    if fld.choices
]


def test_tenant_models_have_choice_fields_to_check():
    assert len(CHOICE_FIELDS) >= 5


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("model", "fld"), CHOICE_FIELDS, ids=[f"{m._meta.label}.{f.name}" for m, f in CHOICE_FIELDS]
)
def test_a_choice_label_is_the_one_django_gives(model, fld, language):
    obj = model()
    with translation.override(language):
        for value in [*(choice for choice, _label in fld.flatchoices), "not-a-choice", None]:
            setattr(obj, fld.attname, value)
            shown = getattr(obj, f"get_{fld.name}_display")()
            assert shown == models.Model._get_FIELD_display(obj, fld)
