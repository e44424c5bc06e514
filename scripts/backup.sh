#!/usr/bin/env bash
# Back up the whole database to one file, in pg_dump's compressed custom format.
# Restore it with scripts/restore.sh. See docs/operations.md for the schedule and the drill.
set -euo pipefail

usage() {
  cat >&2 <<'EOF'
Usage: scripts/backup.sh DATABASE_URL OUTFILE

Back up the PostgreSQL database at DATABASE_URL into OUTFILE (pg_dump --format=custom).

  DATABASE_URL  postgres://USER[:PASSWORD]@HOST[:PORT]/NAME, as the app's DATABASE_URL
                (a password can come from ~/.pgpass or PGPASSWORD instead)
  OUTFILE       the file to write, e.g. /var/backups/spotting-stalking/$(date +%F).dump;
                it is written only when the whole backup succeeded, readable by you alone

Example:
  scripts/backup.sh "$DATABASE_URL" "/var/backups/spotting-stalking/$(date +%F).dump"
EOF
  exit 2
}

[ "$#" -eq 2 ] || usage
url=$1
out=$2
case "$url" in
  postgres://*|postgresql://*) ;;
  -h|--help) usage ;;
  *) echo "backup.sh: DATABASE_URL must start with postgres:// or postgresql://" >&2; usage ;;
esac
[ -n "$out" ] || usage
command -v pg_dump >/dev/null || { echo "backup.sh: pg_dump not found (install postgresql-client)" >&2; exit 1; }

# The dump holds personal data (accounts, training records, screenings): keep it private.
umask 077
dir=$(dirname -- "$out")
[ -d "$dir" ] || { echo "backup.sh: folder $dir does not exist" >&2; exit 1; }
partial=$(mktemp "$dir/.backup.XXXXXX")
trap 'rm -f -- "$partial"' EXIT

pg_dump --format=custom --compress=6 --file="$partial" --dbname="$url"
# Check the file reads back before it replaces anything (a truncated dump fails here).
pg_restore --list "$partial" >/dev/null
mv -f -- "$partial" "$out"
trap - EXIT
echo "Backed up to $out ($(wc -c <"$out") bytes)"
