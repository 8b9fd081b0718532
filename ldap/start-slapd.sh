#!/bin/sh
# Starts a throwaway slapd for development and tests: start-slapd.sh <port> <datadir>
# Listens on ldap://127.0.0.1:<port>/ only, keeps everything in <datadir>, loads bootstrap.ldif the
# first time (an existing <datadir> is reused, so a stopped instance can be started again) and prints
# the pid. Admin: cn=admin,dc=borghive,dc=local with password $LDAP_ADMIN_PASSWORD (default "admin").
# Stop it with: kill "$(cat <datadir>/slapd.pid)"
set -eu
if [ $# -ne 2 ]; then echo "usage: $0 <port> <datadir>" >&2; exit 2; fi
port=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$dir/data"
if [ ! -f "$dir/slapd.conf" ]; then
  rootpw=$(/usr/sbin/slappasswd -s "${LDAP_ADMIN_PASSWORD:-admin}")
  sed -e "s|@DATADIR@|$dir|g" -e "s|@ROOTPW@|$rootpw|g" "$here/slapd.conf.template" >"$dir/slapd.conf"
  chmod 600 "$dir/slapd.conf"
fi
if [ ! -f "$dir/data/data.mdb" ]; then
  /usr/sbin/slapadd -q -f "$dir/slapd.conf" -l "$here/bootstrap.ldif"
fi

/usr/sbin/slapd -h "ldap://127.0.0.1:$port/" -f "$dir/slapd.conf"
i=0
until ldapsearch -x -LLL -H "ldap://127.0.0.1:$port" -b '' -s base '(objectClass=*)' 1.1 >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 200 ]; then echo "slapd did not answer on 127.0.0.1:$port" >&2; exit 1; fi
  sleep 0.05
done
cat "$dir/slapd.pid"
