#!/usr/bin/env bash
# Debian packages the test services need (real dockerd, dovecot+postfix, mosquitto, PostgreSQL, Redis, and the
# edge: Caddy, Pebble (test ACME CA), PowerDNS Authoritative with SQLite, bind9),
# plus Chromium for the editor screenshots and tests (playwright-core drives /usr/bin/chromium; it never
# downloads a browser). n8n's editor bundles its own web fonts; DejaVu covers the fallback glyphs.
# Idempotent: skips apt entirely when every binary is already present. Runs as root (CI does).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v busybox >/dev/null || [ -x /bin/busybox ] || need+=(busybox-static)
command -v dovecot >/dev/null || need+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
command -v postfix >/dev/null || need+=(postfix)
command -v mosquitto >/dev/null || need+=(mosquitto)
command -v mosquitto_passwd >/dev/null || need+=(mosquitto-clients)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v openssl >/dev/null || need+=(openssl)
command -v caddy >/dev/null || need+=(caddy)
command -v pebble >/dev/null || need+=(pebble)
command -v pdns_server >/dev/null || [ -x /usr/sbin/pdns_server ] || need+=(pdns-server)
[ -d /usr/share/pdns-backend-sqlite3 ] || need+=(pdns-backend-sqlite3)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/sbin/named ] || need+=(bind9)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "install-system-deps: need root to apt-get install ${need[*]}" >&2; exit 1; fi
# policy-rc.d keeps apt from starting the daemons: tests start their own on private ports.
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string lab.test" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
