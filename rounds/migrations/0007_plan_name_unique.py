from django.db import migrations, models


def rename_duplicates(apps, schema_editor):
    """Plans that already share a name within their organization keep it on the oldest; the
    others get a number ("…（2）") so that the constraint can be added."""
    plan_model = apps.get_model("rounds", "CoveragePlan")
    taken: set[tuple[int, str]] = set(plan_model.objects.values_list("organization_id", "name"))
    seen: set[tuple[int, str]] = set()
    for plan in plan_model.objects.order_by("organization_id", "name", "pk"):
        key = (plan.organization_id, plan.name)
        if key not in seen:
            seen.add(key)
            continue
        number = 2
        while (plan.organization_id, f"{plan.name[:190]}（{number}）") in taken:
            number += 1
        plan.name = f"{plan.name[:190]}（{number}）"
        taken.add((plan.organization_id, plan.name))
        plan.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0006_plan_figures"),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="coverageplan",
            constraint=models.UniqueConstraint(
                fields=("organization", "name"), name="uniq_plan_name"
            ),
        ),
    ]
