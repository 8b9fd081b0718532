#!/usr/bin/env bash
# The Debian sid root the borg 2 e2e runs its storage node in (borgbackup2 2.0.0b25 is only in unstable):
# sshd, borg2 serve, borg 1.4 and the borg clients run there, chrooted; the hive watches from outside.
# Idempotent: a root that exists is used as it is. It is built in a temp dir renamed on success, so a
# half-built root (interrupted debootstrap or apt) is never used. Prints the root's path.
set -euo pipefail
root=${BORGHIVE_SID_ROOT:-/var/cache/borg-hive/sid-root}
packages=(borgbackup2 borgbackup openssh-server openssh-client socat rsync)
if [ -x "$root/usr/bin/borg2" ] && [ -x "$root/usr/sbin/sshd" ]; then
  echo "$root"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "borg2-root: $root is missing and building it needs root" >&2
  exit 1
fi
command -v debootstrap >/dev/null 2>&1 || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
mkdir -p "$(dirname "$root")"
tmp="$root.tmp.$$"
trap 'rm -rf --one-file-system "$tmp"' EXIT
echo "borg2-root: building $root (debootstrap sid, a few minutes)" >&2
debootstrap --variant=minbase sid "$tmp" http://deb.debian.org/debian >&2
# debootstrap's --include does not resolve these packages' dependencies: apt inside the root does
chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
chroot "$tmp" apt-get clean
mv "$tmp" "$root"
trap - EXIT
echo "$root"
