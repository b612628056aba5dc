#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests), PostgreSQL 15 (the second test run),
# Redis (the two-host test of the PostgreSQL run keeps sessions and rate limits in a throwaway redis-server),
# zbar (decoding printed QR codes), poppler-utils (pdftoppm renders printed slips to pixels for zbar)
# and Noto Sans CJK, the first font of our stack (without it Chromium
# draws Chinese as empty boxes and Chinese text is lost from printed PDFs). Installed with apt when
# missing and we are root; otherwise we say how, and the tests that need them fail with the same one-line explanation.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
ldconfig -p 2>/dev/null | grep -q libzbar.so.0 || missing+=(libzbar0)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# wrk: the load generator of `make bench` (bench/).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
# pdftoppm: the receipt-printer tests render printed slips to pixels for zbar.
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
else
  echo "Missing Debian packages for the tests: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
fi
exit 0
