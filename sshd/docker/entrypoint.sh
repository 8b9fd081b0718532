#!/bin/sh
# Storage-node container start: keys.env and nslcd.conf from the environment or secret files, host keys on
# first start, then nslcd and the command (sshd -D -e). Every NAME below may be given as NAME_FILE instead.
#   BORGHIVE_API_URL      the hive as seen from this container (default http://hive:4000)
#   BORGHIVE_API_TOKEN    a KEYS_READ token (borg-hive token create <admin> <name> KEYS_READ)
#   NSLCD_URI             the directory (default ldap://openldap:389/)
#   NSLCD_BINDPW          password of cn=readonly,dc=borghive,dc=local
set -eu

# Prints NAME's value, read from the file NAME_FILE when that is set (a trailing newline is dropped).
secret() {
  file=$(printenv "$1_FILE" || true)
  if [ -n "$file" ]; then
    [ -r "$file" ] || { echo "entrypoint: $1_FILE: cannot read $file" >&2; exit 1; }
    tr -d '\n' <"$file"
  else
    printenv "$1" || true
  fi
}

api_url=$(secret BORGHIVE_API_URL)
api_url=${api_url:-http://hive:4000}
api_token=$(secret BORGHIVE_API_TOKEN)
nslcd_uri=$(secret NSLCD_URI)
nslcd_uri=${nslcd_uri:-ldap://openldap:389/}
nslcd_bindpw=$(secret NSLCD_BINDPW)

# 1. borg-hive-keys settings: root:borghive-keys 0640 (the client refuses a world-readable file).
case $api_url in http://* | https://*) ;; *) echo "entrypoint: BORGHIVE_API_URL must be http(s)" >&2; exit 1 ;; esac
if [ -z "$api_token" ]; then
  echo "entrypoint: warning: no BORGHIVE_API_TOKEN; every key lookup fails (closed) until one is given" >&2
fi
(
  umask 027
  printf '# borg-hive-keys settings (written by the container entrypoint)\nBORGHIVE_API_URL=%s\nBORGHIVE_API_TOKEN=%s\n' \
    "$api_url" "$api_token" >/etc/borg-hive/keys.env.new
)
chown root:borghive-keys /etc/borg-hive/keys.env.new
chmod 0640 /etc/borg-hive/keys.env.new
mv /etc/borg-hive/keys.env.new /etc/borg-hive/keys.env

# 2. nslcd.conf from the project's file: only uri and bindpw change. root:nslcd 0640 (it holds bindpw).
[ -n "$nslcd_bindpw" ] || echo "entrypoint: warning: no NSLCD_BINDPW; using the file's development password" >&2
(
  umask 027
  NSLCD_URI_VALUE=$nslcd_uri NSLCD_BINDPW_VALUE=$nslcd_bindpw awk '
    /^uri / { print "uri " ENVIRON["NSLCD_URI_VALUE"]; next }
    /^bindpw / && ENVIRON["NSLCD_BINDPW_VALUE"] != "" { print "bindpw " ENVIRON["NSLCD_BINDPW_VALUE"]; next }
    { print }
  ' /etc/borg-hive/nslcd.conf.template >/etc/nslcd.conf
)
chown root:nslcd /etc/nslcd.conf
chmod 0640 /etc/nslcd.conf

# 3. Host keys, kept in the /etc/ssh/keys volume.
for type in ed25519 ecdsa rsa; do
  key=/etc/ssh/keys/ssh_host_${type}_key
  [ -f "$key" ] || ssh-keygen -q -t "$type" -N '' -C "borg-hive-node" -f "$key"
done
install -d -m 0755 /run/sshd

# 4. The repository root must be traversable by repo users (their homes are <root>/<repo user>).
chmod o+x /srv/borg/repos

/usr/sbin/sshd -t
install -d -o nslcd -g nslcd -m 0755 /run/nslcd
/usr/sbin/nslcd
exec "$@"
