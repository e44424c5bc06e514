"""The backup and restore procedure of docs/operations.md, run for real.

scripts/backup.sh dumps the test database (with committed data in every key table) and
scripts/restore.sh restores the dump into a scratch database made for the test and dropped
after it. Every table must then hold the same rows, and every sequence the same position.
"""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client
from psycopg import sql

from referrals.services import seed_load
from screening.forms import ScreeningForm
from screening.services import screening_create
from tests.screening.test_views import form_data as screening_form_data
from tests.training.conftest import make_module
from training import services as training_services
from training.content import CourseSpec
from training.models import Module

BASE_DIR = Path(__file__).resolve().parents[2]
BACKUP = BASE_DIR / "scripts" / "backup.sh"
RESTORE = BASE_DIR / "scripts" / "restore.sh"

# What the restore must bring back, named as the issue names them.
KEY_TABLES = [
    "accounts_user",
    "accounts_practice",
    "screening_screening",
    "training_attempt",
    "referrals_service",
    "core_auditevent",  # when the audit log is installed
]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: it runs pg_dump and pg_restore against the test database "
    "(set DATABASE_URL=postgres://... to run it)",
)


def url_for(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{name}"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def table_facts(url: str) -> dict[str, tuple]:
    """Each table's row count and a checksum of its rows, and each sequence's position."""
    facts = {}
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            facts[table] = tuple(conn.execute(query).fetchone())
        for name, last_value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            facts[f"sequence {name}"] = (last_value,)
    return facts


@pytest.fixture
def some_of_everything(transactional_db, clinician, other_icb_clinician, icb_admin, site_admin):
    """Committed rows in every key table: users, practices, screenings, attempts, services and
    (through the sign-ins) audit events."""
    for user in (clinician, icb_admin, site_admin):
        Client().force_login(user)  # a session, and a sign-in in the audit log
    seed_load(examples=True)
    training_services.content_load(
        course=CourseSpec(version="test.1", modules=(make_module("alpha", 1),))
    )
    module = Module.objects.get()
    attempt = training_services.attempt_start(user=clinician, module=module)
    training_services.attempt_submit(attempt=attempt, selections={})
    training_services.attempt_start(user=clinician, module=module)  # an open one too
    form = ScreeningForm(screening_form_data())
    assert form.is_valid(), form.errors
    for _ in range(3):
        screening_create(clinician=clinician, answers=form.answers(), submission_id=uuid.uuid4())


@postgresql_only
def test_backup_then_restore_into_a_scratch_database(some_of_everything, tmp_path):
    source = url_for(connection.settings_dict["NAME"])
    dump = tmp_path / "spotting-stalking.dump"

    backed_up = run(BACKUP, source, dump)
    assert backed_up.returncode == 0, backed_up.stderr
    assert dump.stat().st_size > 0
    assert dump.stat().st_mode & 0o077 == 0, "the dump holds personal data: owner only"

    scratch = f"restore_drill_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        restored = run(RESTORE, dump, url_for(scratch))
        assert restored.returncode == 0, restored.stderr

        before, after = table_facts(source), table_facts(url_for(scratch))
        assert after == before
        for table in KEY_TABLES:
            if table == "core_auditevent" and table not in before:
                continue  # no audit log installed in this build
            assert before[table][0] > 0, f"the test should have put rows in {table}"

        # Restoring again over the restored copy works too (--clean --if-exists).
        again = run(RESTORE, dump, url_for(scratch))
        assert again.returncode == 0, again.stderr
        assert table_facts(url_for(scratch)) == before
    finally:
        with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch))
            )


@postgresql_only
def test_restore_refuses_a_file_that_is_not_a_dump(transactional_db, tmp_path):
    bogus = tmp_path / "not-a-dump.dump"
    bogus.write_text("hello")
    result = run(RESTORE, bogus, url_for("no_such_database_is_touched"))
    assert result.returncode != 0
    assert "not a pg_dump custom-format file" in result.stderr


def test_scripts_explain_how_to_call_them():
    for script, args in ((BACKUP, []), (BACKUP, ["only-one"]), (RESTORE, []), (RESTORE, ["x"])):
        result = run(script, *args)
        assert result.returncode == 2
        assert result.stderr.startswith(f"Usage: scripts/{script.name}")
    wrong = run(BACKUP, "sqlite:///db.sqlite3", "out.dump")
    assert wrong.returncode == 2
    assert "must start with postgres://" in wrong.stderr
