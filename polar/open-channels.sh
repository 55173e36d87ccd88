#!/usr/bin/env bash
# Opens the test graph's channels on a started Polar network: alice <-> carol <-> bob.
#   POLAR_NETWORK_ID=1 bash polar/open-channels.sh
# Polar's chart shows these channels from export.json, but Polar draws channel links from what
# LND reports: until this script (or Polar's "open channel" drag) runs, no channel exists.
# Amounts match POLAR_CHANNELS in polar/network-export.ts (checked by the unit test).
set -euo pipefail

ID="${POLAR_NETWORK_ID:?set POLAR_NETWORK_ID to the Polar network id}"

btc() { docker exec "polar-n${ID}-backend1" bitcoin-cli -regtest -rpcuser=polaruser -rpcpassword=polarpass "$@"; }
lnc() { local node=$1; shift; docker exec "polar-n${ID}-${node}" lncli --network=regtest --lnddir=/home/lnd/.lnd "$@"; }
json_field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\}.*/\1/p" | head -n1; }
mine() { btc generatetoaddress "$1" "$(btc getnewaddress)" > /dev/null; }
pubkey() { lnc "$1" getinfo | json_field identity_pubkey; }
wait_synced() {
  for node in "$@"; do
    until lnc "$node" getinfo | grep -q '"synced_to_chain": *true'; do sleep 1; done
  done
}
fund() { btc sendtoaddress "$(lnc "$1" newaddress p2wkh | json_field address)" 1 > /dev/null; }
open_channel() {
  local from=$1 to=$2 capacity=$3 push=$4 key
  key=$(pubkey "$to")
  lnc "$from" connect "${key}@polar-n${ID}-${to}:9735" > /dev/null 2>&1 || true
  lnc "$from" openchannel --node_key "$key" --local_amt "$capacity" --push_amt "$push" > /dev/null
  echo "opened ${from} -> ${to}: ${capacity} sats (${push} pushed)"
}

mine 101
wait_synced alice carol bob
fund alice
fund carol
mine 6
wait_synced alice carol bob

open_channel alice carol 5000000 2500000
open_channel carol bob 5000000 2500000

mine 6
wait_synced alice carol bob
echo "done: alice <-> carol <-> bob"
