"""
The two rules of ISO 10.2 record-keeping that span two tables, enforced by the database as well as by
`audits.services` (a CheckConstraint sees one row only, so these are triggers):

1. A nonconformity cannot be closed while one of its corrective actions is not done, and a closed
   one cannot get an action that is not done.
2. No corrective action is due before its nonconformity was detected (nor can the detection date
   move after an action's due date).

SQLite and PostgreSQL both run the whole suite, so both get the triggers; the error text is the
trigger's name, which tests look for.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER audits_nc_no_close_with_open_actions
    BEFORE UPDATE ON audits_nonconformity FOR EACH ROW
    WHEN NEW.status = 'closed' AND EXISTS (
        SELECT 1 FROM audits_correctiveaction a WHERE a.nonconformity_id = NEW.id AND a.done_on IS NULL)
    BEGIN SELECT RAISE(ABORT, 'audits_nc_no_close_with_open_actions'); END
    """,
    """
    CREATE TRIGGER audits_nc_detection_not_after_action_due
    BEFORE UPDATE OF detected_on ON audits_nonconformity FOR EACH ROW
    WHEN EXISTS (SELECT 1 FROM audits_correctiveaction a WHERE a.nonconformity_id = NEW.id AND a.due_on < NEW.detected_on)
    BEGIN SELECT RAISE(ABORT, 'audits_action_due_not_before_detection'); END
    """,
    """
    CREATE TRIGGER audits_action_insert_rules
    BEFORE INSERT ON audits_correctiveaction FOR EACH ROW
    BEGIN
        SELECT RAISE(ABORT, 'audits_action_due_not_before_detection')
        WHERE NEW.due_on < (SELECT detected_on FROM audits_nonconformity WHERE id = NEW.nonconformity_id);
        SELECT RAISE(ABORT, 'audits_nc_no_close_with_open_actions')
        WHERE NEW.done_on IS NULL AND (SELECT status FROM audits_nonconformity WHERE id = NEW.nonconformity_id) = 'closed';
    END
    """,
    """
    CREATE TRIGGER audits_action_update_rules
    BEFORE UPDATE ON audits_correctiveaction FOR EACH ROW
    BEGIN
        SELECT RAISE(ABORT, 'audits_action_due_not_before_detection')
        WHERE NEW.due_on < (SELECT detected_on FROM audits_nonconformity WHERE id = NEW.nonconformity_id);
        SELECT RAISE(ABORT, 'audits_nc_no_close_with_open_actions')
        WHERE NEW.done_on IS NULL AND (SELECT status FROM audits_nonconformity WHERE id = NEW.nonconformity_id) = 'closed';
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audits_nc_no_close_with_open_actions",
    "DROP TRIGGER IF EXISTS audits_nc_detection_not_after_action_due",
    "DROP TRIGGER IF EXISTS audits_action_insert_rules",
    "DROP TRIGGER IF EXISTS audits_action_update_rules",
]

POSTGRESQL = [
    """
    CREATE FUNCTION audits_nc_rules() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status = 'closed' AND EXISTS (
            SELECT 1 FROM audits_correctiveaction a WHERE a.nonconformity_id = NEW.id AND a.done_on IS NULL) THEN
            RAISE EXCEPTION 'audits_nc_no_close_with_open_actions' USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM audits_correctiveaction a WHERE a.nonconformity_id = NEW.id AND a.due_on < NEW.detected_on) THEN
            RAISE EXCEPTION 'audits_action_due_not_before_detection' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER audits_nc_rules BEFORE UPDATE ON audits_nonconformity
    FOR EACH ROW EXECUTE FUNCTION audits_nc_rules()
    """,
    """
    CREATE FUNCTION audits_action_rules() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE nc RECORD;
    BEGIN
        SELECT detected_on, status INTO nc FROM audits_nonconformity WHERE id = NEW.nonconformity_id;
        IF NEW.due_on < nc.detected_on THEN
            RAISE EXCEPTION 'audits_action_due_not_before_detection' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.done_on IS NULL AND nc.status = 'closed' THEN
            RAISE EXCEPTION 'audits_nc_no_close_with_open_actions' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER audits_action_rules BEFORE INSERT OR UPDATE ON audits_correctiveaction
    FOR EACH ROW EXECUTE FUNCTION audits_action_rules()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audits_action_rules ON audits_correctiveaction",
    "DROP FUNCTION IF EXISTS audits_action_rules()",
    "DROP TRIGGER IF EXISTS audits_nc_rules ON audits_nonconformity",
    "DROP FUNCTION IF EXISTS audits_nc_rules()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"No trigger SQL for {schema_editor.connection.vendor}: add it to this migration.")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
