#!/usr/bin/env bash
# Sets up a Borg Hive storage node's sshd key lookup (run as root; safe to run again):
#   - /usr/local/bin/borg-hive-keys   root:root 0755, shebang = an absolute Node >= 18 found here
#   - system user borghive-keys       runs the lookup (AuthorizedKeysCommandUser)
#   - /etc/borg-hive/keys.env         root:borghive-keys 0640, BORGHIVE_API_URL + BORGHIVE_API_TOKEN
#   - /etc/ssh/sshd_config.d/borg-hive.conf   this directory's sshd_config, checked with sshd -t
set -euo pipefail

usage() {
  cat <<'EOF'
usage: sshd/install.sh [--url URL] [--token-file FILE | --token TOKEN] [--node PATH] [--no-sshd] [--dry-run]
  --url URL          hive base URL, e.g. https://hive.example.org (/graphql is appended by the client)
  --token-file FILE  file holding a KEYS_READ API token (preferred: --token shows in the process list)
  --token TOKEN      the token itself; BORGHIVE_API_TOKEN in the environment works too
  --node PATH        Node.js >= 18 to run borg-hive-keys with (default: the first one found)
  --no-sshd          do not install the sshd_config snippet
  --dest DIR         install below DIR instead of / (staging; the user is still created on this host)
  --dry-run          print what would be done, change nothing
URL and token are required on the first run; later runs keep the values not given.
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
client_src="$here/../keys/borg-hive-keys.cjs"
sshd_src="$here/sshd_config"
url='' token="${BORGHIVE_API_TOKEN:-}" node_arg='' with_sshd=1 dry=0 dest=''
keys_user=borghive-keys

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --token-file) token=$(tr -d '\n' <"${2:?--token-file needs a value}"); shift 2 ;;
    --node) node_arg=${2:?--node needs a value}; shift 2 ;;
    --no-sshd) with_sshd=0; shift ;;
    --dest) dest=${2:?--dest needs a value}; shift 2 ;;
    --dry-run) dry=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ "$dry" = 1 ] || [ "$(id -u)" = 0 ] || die "run as root (or with --dry-run)"
[ -f "$client_src" ] && [ -f "$sshd_src" ] || die "run from a Borg Hive checkout (missing $client_src)"

bin="$dest/usr/local/bin/borg-hive-keys"
conf_dir="$dest/etc/borg-hive"
conf="$conf_dir/keys.env"
snippet="$dest/etc/ssh/sshd_config.d/borg-hive.conf"

# Runs a command, or only shows it with --dry-run.
act() {
  if [ "$dry" = 1 ]; then printf 'would run:'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}

# A path is trusted when it and every parent are root-owned and not writable by group or others.
secure_path() {
  local p=$1
  while :; do
    [ "$(stat -c %u "$p")" = 0 ] || return 1
    [ $((0$(stat -c %a "$p") & 022)) = 0 ] || return 1
    [ "$p" = / ] && return 0
    p=$(dirname "$p")
  done
}

find_node() {
  local candidate real
  for candidate in "$node_arg" "$(command -v node || true)" /usr/local/bin/node /usr/bin/node \
    "$here/../node_modules/node/bin/node"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    real=$(readlink -f "$candidate")
    "$real" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null || continue
    if ! secure_path "$real"; then
      echo "install.sh: skipping $real (it or a parent directory is not root-owned 0755)" >&2
      continue
    fi
    echo "$real"
    return 0
  done
  return 1
}

node=$(find_node) || die "no Node.js >= 18 found in a root-owned location; give one with --node"
echo "node: $node ($("$node" -v))"

# 1. the lookup user
if getent passwd "$keys_user" >/dev/null; then
  echo "user $keys_user: exists"
else
  echo "creating user $keys_user"
  act useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$keys_user"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 2. the client, with an absolute shebang (sshd starts it with an empty PATH)
{ echo "#!$node"; tail -n +2 "$client_src"; } >"$tmp/borg-hive-keys"
if [ -f "$bin" ] && cmp -s "$tmp/borg-hive-keys" "$bin"; then
  echo "$bin: unchanged"
else
  act install -D -o root -g root -m 0755 "$tmp/borg-hive-keys" "$bin"
fi

# 3. URL and token (values not given are kept from an existing file; nothing is shell-evaluated)
current() { [ -f "$conf" ] && sed -n "s/^$1=//p" "$conf" | tail -n 1 || true; }
url=${url:-$(current BORGHIVE_API_URL)}
token=${token:-$(current BORGHIVE_API_TOKEN)}
[[ "$url" =~ ^https?://[^[:space:]\"\']+$ ]] || die "--url must be an http(s) URL (got '${url}')"
[[ "$token" =~ ^[!-~]+$ ]] || die "a token is required (--token-file, --token or BORGHIVE_API_TOKEN)"
(umask 077 && printf '# borg-hive-keys settings (written by sshd/install.sh)\nBORGHIVE_API_URL=%s\nBORGHIVE_API_TOKEN=%s\n' \
  "$url" "$token" >"$tmp/keys.env")
act install -d -o root -g root -m 0755 "$conf_dir"
if [ "$dry" = 1 ]; then
  echo "would write $conf (root:$keys_user 0640): BORGHIVE_API_URL=$url BORGHIVE_API_TOKEN=<${#token} characters>"
else
  install -o root -g "$keys_user" -m 0640 "$tmp/keys.env" "$conf"
fi

# 4. sshd
if [ "$with_sshd" = 1 ]; then
  if [ -f "$snippet" ] && cmp -s "$sshd_src" "$snippet"; then
    echo "$snippet: unchanged"
  elif [ "$dry" = 1 ]; then
    echo "would install $snippet (root:root 0644) from $sshd_src and check it with sshd -t"
  else
    [ -f "$snippet" ] && cp -p "$snippet" "$tmp/previous.conf"
    install -D -o root -g root -m 0644 "$sshd_src" "$snippet"
    if [ -z "$dest" ]; then
      grep -qsE '^\s*Include\s+/etc/ssh/sshd_config\.d/\*\.conf' /etc/ssh/sshd_config ||
        echo "warning: /etc/ssh/sshd_config does not include sshd_config.d/*.conf; add it at the top" >&2
      check=(/usr/sbin/sshd -t)
    else
      ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
      check=(/usr/sbin/sshd -t -f "$snippet" -h "$tmp/hostkey")
    fi
    if ! "${check[@]}"; then
      if [ -f "$tmp/previous.conf" ]; then cp -p "$tmp/previous.conf" "$snippet"; else rm -f "$snippet"; fi
      die "sshd -t rejected the configuration; $snippet left as it was"
    fi
  fi
fi

echo "done. Check a lookup:  runuser -u $keys_user -- $bin --user <repo user>"
echo "then reload sshd:      systemctl reload ssh   (or: kill -HUP \$(cat /run/sshd.pid))"
