"""Save only what changed (Zulip's ``do_change_*`` shape).

An edit service hands the values it was given to ``save_changes``: the fields whose value
differs are set and saved with ``update_fields``; when none differs nothing is written, no
trigger fires and the record's 修改记录 stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models


def save_changes(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set and save the fields of ``values`` that differ; return their names (empty: no write).

    A foreign key may be given as the related object or ``None``; it is compared by id.
    """
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            current = getattr(instance, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
        else:
            current, wanted = getattr(instance, name), value
        if current != wanted:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        instance.save(update_fields=changed)
    return changed
