#!/bin/sh
# Directory container start: renders slapd.conf from the project's template, loads bootstrap.ldif into an
# empty data volume on first start, then runs slapd in the foreground. NAME_FILE may replace NAME:
#   LDAP_ADMIN_PASSWORD     rootdn cn=admin,dc=borghive,dc=local (the hive binds as it); required
#   LDAP_READONLY_PASSWORD  cn=readonly,dc=borghive,dc=local (nslcd on the storage node); required
# LDAP_DATA_DIR, LDAP_ETC_DIR and LDAP_URLS move it elsewhere (the e2e test runs it outside a container).
set -eu
dir=${LDAP_DATA_DIR:-/var/lib/borg-hive-ldap}
etc=${LDAP_ETC_DIR:-/etc/ldap/borg-hive}
urls=${LDAP_URLS:-ldap:///}

secret() {
  file=$(printenv "$1_FILE" || true)
  if [ -n "$file" ]; then
    [ -r "$file" ] || { echo "entrypoint: $1_FILE: cannot read $file" >&2; exit 1; }
    tr -d '\n' <"$file"
  else
    printenv "$1" || true
  fi
}
admin_pw=$(secret LDAP_ADMIN_PASSWORD)
readonly_pw=$(secret LDAP_READONLY_PASSWORD)
[ -n "$admin_pw" ] || { echo "entrypoint: LDAP_ADMIN_PASSWORD(_FILE) is required" >&2; exit 1; }
[ -n "$readonly_pw" ] || { echo "entrypoint: LDAP_READONLY_PASSWORD(_FILE) is required" >&2; exit 1; }

# The template is for throwaway instances: here the data is kept, so every write is synced (no dbnosync).
rootpw=$(/usr/sbin/slappasswd -s "$admin_pw")
(
  umask 027
  sed -e "s|@DATADIR@|$dir|g" -e "s|@ROOTPW@|$rootpw|g" -e '/^dbnosync/d' "$etc/slapd.conf.template" >"$etc/slapd.conf"
)
chown root:openldap "$etc/slapd.conf"
chmod 0640 "$etc/slapd.conf"

install -d -o openldap -g openldap -m 0700 "$dir" "$dir/data"
if [ ! -f "$dir/data/data.mdb" ]; then
  # bootstrap.ldif carries the development password of cn=readonly; load the real one instead.
  readonly_hash=$(/usr/sbin/slappasswd -s "$readonly_pw")
  READONLY_HASH=$readonly_hash awk '
    /^dn: cn=readonly,/ { inro = 1 }
    /^$/ { inro = 0 }
    inro && /^userPassword:/ { print "userPassword: " ENVIRON["READONLY_HASH"]; next }
    { print }
  ' "$etc/bootstrap.ldif" >"$dir/bootstrap.ldif"
  /usr/sbin/slapadd -q -f "$etc/slapd.conf" -l "$dir/bootstrap.ldif"
  rm -f "$dir/bootstrap.ldif"
  chown -R openldap:openldap "$dir"
  echo "entrypoint: loaded bootstrap.ldif into $dir/data"
fi

# -d 256 (stats) keeps slapd in the foreground and logs each operation to stderr.
exec /usr/sbin/slapd -d 256 -h "$urls" -u openldap -g openldap -f "$etc/slapd.conf"
