#!/usr/bin/env bash
# Installs (as root, from Debian) and starts what the test suite needs when it is missing.
set -euo pipefail
need=()
for pair in slapd:slapd ldapsearch:ldap-utils sshd:openssh-server borg:borgbackup borgmatic:borgmatic \
  rsync:rsync rrsync:rsync chromium:chromium mariadbd:mariadb-server prometheus:prometheus apprise:apprise socat:socat debootstrap:debootstrap; do
  cmd=${pair%%:*} pkg=${pair#*:}
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages: ${need[*]} (run as root to install them)" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
  fi
fi
# nslcd + NSS/PAM modules for e2e/src/ldap-nss.test.ts (which bind-mounts its own nsswitch.conf and
# pam.d/sshd in a private mount namespace). This machine's NSS and PAM setup must stay as it was:
# libnss-ldapd is told to enable ldap for no map, libpam-ldapd's pam-auth-update profile is removed again
# from /etc/pam.d/common-*, and nslcd is not left running.
if [ ! -x /usr/sbin/nslcd ] && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  cp -p /etc/nsswitch.conf /etc/nsswitch.conf.borghive-saved
  echo 'libnss-ldapd libnss-ldapd/nsswitch multiselect' | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nslcd libnss-ldapd libpam-ldapd >/dev/null
  pam-auth-update --package --remove ldap
  mv /etc/nsswitch.conf.borghive-saved /etc/nsswitch.conf
  service nslcd stop >/dev/null 2>&1 || true
fi
if ! mariadb -uroot -h127.0.0.1 -e 'select 1' >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 150); do mariadb -uroot -h127.0.0.1 -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
fi
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
# The Debian sid root of the borg 2 e2e (borgbackup2, borg 1.4, sshd): built once, cached
if [ "$(id -u)" = 0 ]; then bash "$(dirname "$0")/borg2-root.sh" >/dev/null; fi
