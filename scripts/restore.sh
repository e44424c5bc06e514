#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a database, replacing what it holds.
# See docs/operations.md for the restore drill.
set -euo pipefail

usage() {
  cat >&2 <<'EOF'
Usage: scripts/restore.sh DUMPFILE TARGET_DATABASE_URL

Restore DUMPFILE (made by scripts/backup.sh) into the existing, possibly empty, database at
TARGET_DATABASE_URL. Every table, sequence and index in the dump is dropped and recreated
there (pg_restore --clean --if-exists --no-owner), in one transaction: if anything fails,
the target is left as it was.

  DUMPFILE             a pg_dump custom-format file
  TARGET_DATABASE_URL  postgres://USER[:PASSWORD]@HOST[:PORT]/NAME; create the database
                       first (createdb NAME). Restored objects belong to USER.

Run from a terminal, it asks you to type the target database's name to confirm.

Example (the restore drill, into a scratch database):
  createdb restore_drill
  scripts/restore.sh /var/backups/spotting-stalking/2026-11-25.dump \
    postgres://postgres@127.0.0.1:5432/restore_drill
EOF
  exit 2
}

[ "$#" -eq 2 ] || usage
dump=$1
url=$2
case "$dump" in -h|--help) usage ;; esac
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "restore.sh: TARGET_DATABASE_URL must start with postgres:// or postgresql://" >&2; usage ;;
esac
[ -f "$dump" ] || { echo "restore.sh: no such file: $dump" >&2; exit 1; }
command -v pg_restore >/dev/null || { echo "restore.sh: pg_restore not found (install postgresql-client)" >&2; exit 1; }

# Refuse a file that is not a readable custom-format dump before touching the target.
pg_restore --list "$dump" >/dev/null || { echo "restore.sh: $dump is not a pg_dump custom-format file" >&2; exit 1; }

name=${url##*/}
name=${name%%\?*}
if [ -t 0 ]; then
  echo "This replaces everything in the database '$name' with the contents of $dump."
  read -r -p "Type the database name to go on: " answer
  [ "$answer" = "$name" ] || { echo "restore.sh: not confirmed; nothing changed" >&2; exit 1; }
fi

pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
  --dbname="$url" "$dump"
# Fresh planner statistics: pg_restore does not copy them.
psql --quiet --no-psqlrc --dbname="$url" --command="ANALYZE" >/dev/null
echo "Restored $dump into $name"
