#!/usr/bin/env bash
# Makes the secret files docker-compose.yml reads from ./secrets (random passwords; existing files are
# kept, so running it again changes nothing). The directory is 0700; the files are 0644 because Compose
# bind-mounts them unchanged and the hive reads them as its own unprivileged user.
set -euo pipefail
cd "$(dirname "$0")/.."
install -d -m 0700 secrets

random() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
make() {
  local name=$1 value=$2
  if [ -e "secrets/$name" ]; then
    echo "secrets/$name: kept"
  else
    (umask 022 && printf '%s\n' "$value" >"secrets/$name")
    echo "secrets/$name: created"
  fi
}

make db_root_password "$(random)"
make db_password "$(random)"
# The hive's database URL must carry the same password as MariaDB's user borghive.
make hive_database_url "mariadb://borghive:$(tr -d '\n' <secrets/db_password)@mariadb:3306/borghive"
make hive_admin_password "$(random)"
make ldap_admin_password "$(random)"
make ldap_readonly_password "$(random)"
# Empty until an admin creates a KEYS_READ token (docs/docker.md); key lookups fail closed meanwhile.
[ -e secrets/keys_token ] || { (umask 022 && : >secrets/keys_token) && echo "secrets/keys_token: created (empty)"; }
