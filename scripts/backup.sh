#!/usr/bin/env bash
# Back up Linli's PostgreSQL database: one pg_dump in custom format (compressed; pg_restore can restore
# all of it or single tables) into a file named for the UTC moment, then delete dumps older than
# BACKUP_KEEP_DAYS. Run it from cron, for example nightly at 02:30:
#   30 2 * * * cd /srv/linli && DATABASE_URL=postgresql://linli@db.example/linli scripts/backup.sh /var/backups/linli
#
#   scripts/backup.sh [DIR]   DIR (or BACKUP_DIR): where dumps go, default instance/backups
#   DATABASE_URL              the database to dump (as the app reads it; a password can live in ~/.pgpass)
#   BACKUP_KEEP_DAYS          delete dumps older than this many days (default 14); the newest always stays
#   PG_BINDIR                 take pg_dump from there (it must be the server's major version or newer)
# Prints the new dump's path. scripts/restore.sh restores one into a fresh database; it is tested.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

url="${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
url="${url/#postgresql+psycopg:\/\//postgresql://}"   # SQLAlchemy's spelling -> libpq's
url="${url/#postgres:\/\//postgresql://}"
case "$url" in
  postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; back up a SQLite file with: sqlite3 FILE '.backup COPY'" >&2; exit 2 ;;
esac
dir="${1:-${BACKUP_DIR:-$root/instance/backups}}"
keep="${BACKUP_KEEP_DAYS:-14}"
[[ "$keep" =~ ^[0-9]+$ ]] || { echo "backup.sh: BACKUP_KEEP_DAYS must be a whole number of days" >&2; exit 2; }
bin="${PG_BINDIR:+$PG_BINDIR/}"

mkdir -p "$dir"
file="$dir/linli-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT
# Written under another name first, and read back, so a half-written or unreadable dump never looks
# like a backup, and rotation only runs after a good one.
"${bin}pg_dump" --format=custom --file="$partial" --dbname="$url"
"${bin}pg_restore" --list "$partial" >/dev/null
mv "$partial" "$file"
find "$dir" -maxdepth 1 -type f -name 'linli-*.dump' -mmin +$((keep * 1440)) ! -path "$file" -delete
echo "$file"
