#!/usr/bin/env bash
# Install what a fresh Debian 12 machine lacks to build and test the toolkit.
# Does nothing when everything is present.
set -eu
# the tools need the -dev libraries; the tests and benchmarks also python3 with numpy, pandas,
# sklearn and prettytable (references, the real Python Trustee) and tshark (flowmeter --names checks)
pkgs="make gcc libpcap-dev zlib1g-dev libyaml-dev liblinear-dev libssl-dev python3 python3-numpy python3-pandas python3-sklearn python3-prettytable tshark"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "install-deps: all dependencies present"
	exit 0
fi
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
