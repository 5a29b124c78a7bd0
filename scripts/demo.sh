#!/usr/bin/env bash
# The embedded default, end to end: builds a sample warehouse under ./demo, points a copy of the
# example config at it, then validates, plans, applies, shows the ACLs and plans again.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD/demo"
gs() { node dist/cli/main.js "$@"; }
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

[ -f dist/cli/main.js ] || npm run build --silent

rm -rf "$root"
wh="$root/warehouse"
mkdir -p "$wh/sales.db/customers" "$wh/sales.db/orders/dt=2024-01-01" "$wh/archive/orders/dt=2023-12-31" \
  "$wh/web.db" "$wh/external/clicks/day=1" "$wh/sales.db/_tmp"
for f in sales.db/customers/part-00000.csv sales.db/customers/part-00001.csv \
  sales.db/orders/dt=2024-01-01/part-00000.csv archive/orders/dt=2023-12-31/part-00000.csv \
  external/clicks/day=1/part-00000.json sales.db/_tmp/scratch.txt; do
  echo "sample" > "$wh/$f"
done
chmod -R u=rwX,g=rX,o= "$wh"
for f in grantsync.ini sentry-provider.ini locations.ini; do
  sed -e "s#/srv/warehouse#$wh#g" -e "s#/var/lib/grantsync#$root/state#g" "config/$f" > "$root/$f"
done
cfg="$root/grantsync.ini"

step "grantsync validate --config demo/grantsync.ini"
gs validate --config "$cfg"
step "grantsync plan --config demo/grantsync.ini"
gs plan --config "$cfg"
step "grantsync apply --config demo/grantsync.ini --yes"
gs apply --config "$cfg" --yes
if command -v getfacl >/dev/null; then
  step "getfacl (a table directory and a file in it)"
  getfacl -p "$wh/sales.db/orders" "$wh/sales.db/orders/dt=2024-01-01/part-00000.csv"
else
  echo "(install Debian's acl package to see the ACLs with getfacl)"
fi
step "grantsync explain demo/warehouse/archive/orders/dt=2023-12-31/part-00000.csv"
gs explain --config "$cfg" "$wh/archive/orders/dt=2023-12-31/part-00000.csv"
step "grantsync plan --detailed-exitcode   (0 = nothing left to do)"
gs plan --config "$cfg" --detailed-exitcode && echo "exit code 0: in sync"
