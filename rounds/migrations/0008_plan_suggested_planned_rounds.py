from django.db import migrations

# The plan page's stored suggestion leaves out the units already in a planned round of the plan's
# period (an inspection not yet at a covering stage, in a round overlapping the plan's years:
# ``rounds.selectors.coverage.inspection_planned_list``). An inspection added or removed (a unit
# assigned to or taken back from a round), one moved to another stage, unit or round, and a round
# given new dates can change which: the suggestion of every plan targeting such a unit is
# cleared, and the plan's version bumped so that a suggestion counted before the change is not
# stored after it (``_kept``). The figures do not depend on them and are kept. Statement-level
# triggers with transition tables, as those of 0006: a bulk change marks each plan once.
STALE = """
CREATE FUNCTION rounds_plan_suggested_inspection_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
        WHERE id IN (
            SELECT t.plan_id FROM rounds_coveragetarget t
            WHERE t.unit_id IN (SELECT unit_id FROM new_rows)
        );
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
        WHERE id IN (
            SELECT t.plan_id FROM rounds_coveragetarget t
            WHERE t.unit_id IN (SELECT unit_id FROM old_rows)
        );
    ELSE
        UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
        WHERE id IN (
            SELECT t.plan_id FROM rounds_coveragetarget t WHERE t.unit_id IN (
                SELECT unnest(ARRAY[o.unit_id, n.unit_id])
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (n.stage, n.unit_id, n.round_id)
                    IS DISTINCT FROM (o.stage, o.unit_id, o.round_id)
            )
        );
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rounds_plan_suggested_inspection_insert AFTER INSERT ON rounds_inspection
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rounds_plan_suggested_inspection_stale();
CREATE TRIGGER rounds_plan_suggested_inspection_delete AFTER DELETE ON rounds_inspection
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rounds_plan_suggested_inspection_stale();
CREATE TRIGGER rounds_plan_suggested_inspection_update AFTER UPDATE ON rounds_inspection
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rounds_plan_suggested_inspection_stale();

CREATE FUNCTION rounds_plan_suggested_round_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
    WHERE id IN (
        SELECT t.plan_id FROM rounds_coveragetarget t WHERE t.unit_id IN (
            SELECT x.unit_id FROM rounds_inspection x
            JOIN new_rows n ON n.id = x.round_id JOIN old_rows o ON o.id = n.id
            WHERE (n.start_date, n.end_date) IS DISTINCT FROM (o.start_date, o.end_date)
        )
    );
    RETURN NULL;
END $$;
CREATE TRIGGER rounds_plan_suggested_round AFTER UPDATE ON rounds_round
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rounds_plan_suggested_round_stale();

-- Suggestions stored before this rule left nobody out: count them again.
UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
WHERE suggested IS NOT NULL;
"""

UNDO = """
DROP TRIGGER rounds_plan_suggested_round ON rounds_round;
DROP FUNCTION rounds_plan_suggested_round_stale();
DROP TRIGGER rounds_plan_suggested_inspection_update ON rounds_inspection;
DROP TRIGGER rounds_plan_suggested_inspection_delete ON rounds_inspection;
DROP TRIGGER rounds_plan_suggested_inspection_insert ON rounds_inspection;
DROP FUNCTION rounds_plan_suggested_inspection_stale();
UPDATE rounds_coverageplan SET suggested = NULL, figures_version = figures_version + 1
WHERE suggested IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0007_plan_name_unique"),
    ]

    operations = [
        migrations.RunSQL(STALE, UNDO),
    ]
