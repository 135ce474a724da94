"""Back-dated entries: a stage move's effective time (``StageTransition.effective_at``) beside
its time of entry (``at``), and the day a problem was found (``Problem.found_on``).

Existing rows took effect when they were entered: ``effective_at`` = ``at``, ``found_on`` = the
local day of ``created_at``. Their events get the same values, so the 修改记录 does not show a
change nobody made; the event tables are append-only, so their guard is lifted for the
backfill alone. The history triggers are dropped while the rows are filled (the generated
order), so the backfill itself writes no event."""

import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

BACKFILL = [
    ("rounds_stagetransition", "effective_at = at"),
    ("rounds_problem", "found_on = (created_at AT TIME ZONE %s)::date"),
]


def backfill(apps, schema_editor):
    zone = [settings.TIME_ZONE]
    for table, assignment in BACKFILL:
        params = zone if "%s" in assignment else []
        schema_editor.execute(f"UPDATE {table} SET {assignment}", params)
        events = f"{table}event"
        schema_editor.execute(f"ALTER TABLE {events} DISABLE TRIGGER USER")
        schema_editor.execute(f"UPDATE {events} SET {assignment}", params)
        schema_editor.execute(f"ALTER TABLE {events} ENABLE TRIGGER USER")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_unit_grant_label'),
        ('rounds', '0008_plan_suggested_planned_rounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='stagetransition',
            options={'ordering': ['effective_at', 'at', 'pk']},
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='problem',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='problem',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='problem',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='stagetransition',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='stagetransition',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='stagetransition',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='problem',
            name='found_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='found on'),
        ),
        migrations.AddField(
            model_name='problemevent',
            name='found_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='found on'),
        ),
        migrations.AddField(
            model_name='stagetransition',
            name='effective_at',
            field=models.DateTimeField(null=True, verbose_name='effective time'),
        ),
        migrations.AddField(
            model_name='stagetransitionevent',
            name='effective_at',
            field=models.DateTimeField(null=True, verbose_name='effective time'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='stagetransition',
            name='effective_at',
            field=models.DateTimeField(verbose_name='effective time'),
        ),
        migrations.AlterField(
            model_name='stagetransitionevent',
            name='effective_at',
            field=models.DateTimeField(verbose_name='effective time'),
        ),
        migrations.AlterField(
            model_name='stagetransition',
            name='at',
            field=models.DateTimeField(verbose_name='time of entry'),
        ),
        migrations.AlterField(
            model_name='stagetransitionevent',
            name='at',
            field=models.DateTimeField(verbose_name='time of entry'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='problem',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "rounds_problemevent" ("category", "created_at", "description", "found_on", "id", "inherited_from_id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recheck", "severity") VALUES (NEW."category", NEW."created_at", NEW."description", NEW."found_on", NEW."id", NEW."inherited_from_id", NEW."inspection_id", NEW."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."recheck", NEW."severity"); RETURN NULL;', hash='bc026d89b1113c06516db7a8ab9e9c3825284b35', operation='INSERT', pgid='pgtrigger_insert_insert_818ed', table='rounds_problem', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='problem',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "rounds_problemevent" ("category", "created_at", "description", "found_on", "id", "inherited_from_id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recheck", "severity") VALUES (NEW."category", NEW."created_at", NEW."description", NEW."found_on", NEW."id", NEW."inherited_from_id", NEW."inspection_id", NEW."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."recheck", NEW."severity"); RETURN NULL;', hash='0176d987f0c4e7a9dfae8a9b248fa733f0b9c6be', operation='UPDATE', pgid='pgtrigger_update_update_19265', table='rounds_problem', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='problem',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "rounds_problemevent" ("category", "created_at", "description", "found_on", "id", "inherited_from_id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recheck", "severity") VALUES (OLD."category", OLD."created_at", OLD."description", OLD."found_on", OLD."id", OLD."inherited_from_id", OLD."inspection_id", OLD."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."recheck", OLD."severity"); RETURN NULL;', hash='d079aed00bc36a898dc51fea9007255b0160490a', operation='DELETE', pgid='pgtrigger_delete_delete_098c4', table='rounds_problem', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stagetransition',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "rounds_stagetransitionevent" ("actor_id", "at", "effective_at", "from_stage", "id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "to_stage") VALUES (NEW."actor_id", NEW."at", NEW."effective_at", NEW."from_stage", NEW."id", NEW."inspection_id", NEW."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."reason", NEW."to_stage"); RETURN NULL;', hash='3cd06780a79ea87bf275caff39687451bd376ad5', operation='INSERT', pgid='pgtrigger_insert_insert_e4f36', table='rounds_stagetransition', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stagetransition',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "rounds_stagetransitionevent" ("actor_id", "at", "effective_at", "from_stage", "id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "to_stage") VALUES (NEW."actor_id", NEW."at", NEW."effective_at", NEW."from_stage", NEW."id", NEW."inspection_id", NEW."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."reason", NEW."to_stage"); RETURN NULL;', hash='47b2c09ef3e3923080440374564eb1500f247692', operation='UPDATE', pgid='pgtrigger_update_update_c6442', table='rounds_stagetransition', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stagetransition',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "rounds_stagetransitionevent" ("actor_id", "at", "effective_at", "from_stage", "id", "inspection_id", "organization_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "to_stage") VALUES (OLD."actor_id", OLD."at", OLD."effective_at", OLD."from_stage", OLD."id", OLD."inspection_id", OLD."organization_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."reason", OLD."to_stage"); RETURN NULL;', hash='81c688d05bb9d4b81ee39d8d16ba615fb4b73e07', operation='DELETE', pgid='pgtrigger_delete_delete_43499', table='rounds_stagetransition', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='stagetransition',
            constraint=models.CheckConstraint(condition=models.Q(('effective_at__lte', models.F('at'))), name='transition_effective_not_after_entry'),
        ),
    ]
