#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into a fresh database, then bring its schema up to this
# release (`flask --app portal db upgrade`), so the app can serve from it at once:
#   SECRET_KEY=... scripts/restore.sh /var/backups/linli/linli-20261201T023000Z.dump \
#       postgresql://linli@db.example/linli_restored
# The target database is created when it does not exist (connecting to the server's `postgres`
# database, or RESTORE_MAINTENANCE_DB, to do so). It refuses a database that already has tables: a
# restore never overwrites one. All or nothing: one transaction, stopping at the first error.
#   PG_BINDIR  take pg_restore and psql from there; FLASK: the flask command (default .venv/bin/flask)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "restore.sh: $*" >&2; exit 2; }

[ $# -eq 2 ] || die "usage: scripts/restore.sh DUMP TARGET_URL"
dump="$1"
target="$2"
target="${target/#postgresql+psycopg:\/\//postgresql://}"
target="${target/#postgres:\/\//postgresql://}"
[[ "$target" == postgresql://* ]] || die "TARGET_URL must be a PostgreSQL URL, like postgresql://user@host/linli_restored"
[ -r "$dump" ] || die "cannot read $dump"
bin="${PG_BINDIR:+$PG_BINDIR/}"
flask="${FLASK:-$root/.venv/bin/flask}"
"${bin}pg_restore" --list "$dump" >/dev/null 2>&1 || die "$dump is not a pg_dump custom-format file"

# postgresql://AUTHORITY/DBNAME?QUERY -> the database's name, and the same server's maintenance database.
rest="${target#postgresql://}"
authority="${rest%%/*}"
[ "$authority" != "$rest" ] || die "TARGET_URL names no database"
path="${rest#*/}"
dbname="${path%%\?*}"
query=""
[[ "$path" == *\?* ]] && query="?${path#*\?}"
[[ "$dbname" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "the target database's name must be letters, digits and _"
maintenance="postgresql://$authority/${RESTORE_MAINTENANCE_DB:-postgres}$query"
psql=("${bin}psql" -X -q -A -t -v ON_ERROR_STOP=1)

if [ "$("${psql[@]}" "$maintenance" -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" = "1" ]; then
  tables="$("${psql[@]}" "$target" -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
  [ "$tables" = "0" ] || die "refusing to restore into $dbname: it already has $tables tables. Name a new database."
else
  "${psql[@]}" "$maintenance" -c "CREATE DATABASE \"$dbname\""
fi
"${bin}pg_restore" --no-owner --no-acl --exit-on-error --single-transaction --dbname="$target" "$dump"
(cd "$root" && DATABASE_URL="$target" "$flask" --app portal db upgrade)
echo "Restored $dump into $dbname."
