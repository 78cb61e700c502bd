#!/usr/bin/env bash
# Makes sure iproute2's `ip` is available for the network-namespace lab (NetnsClusterTest, run by
# `mvn verify`, and `bin/meridian up --netns`).
#
# When `ip` is missing and we are root with apt, the Debian package `iproute2` is installed (once per
# machine). Exit codes: 0 `ip` is there; 3 it is not and cannot be installed (not root, no apt, no
# mirror): the namespace tests then skip with this message, as they do where namespaces cannot be
# created at all.
set -euo pipefail

command -v ip >/dev/null 2>&1 && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-iproute2: 'ip' not found and cannot install iproute2 (needs root and apt-get)" >&2
  exit 3
fi
echo "ensure-iproute2: 'ip' not found; installing the Debian package 'iproute2'" >&2
export DEBIAN_FRONTEND=noninteractive
# Others may be running apt on a shared machine: wait for the dpkg lock rather than fail.
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
if ! apt-get install "${apt_opts[@]}" iproute2 >&2; then
  # A fresh machine or container often has no package lists yet.
  apt-get update -q -o DPkg::Lock::Timeout=600 >&2 || true
  apt-get install "${apt_opts[@]}" iproute2 >&2 || {
    echo "ensure-iproute2: 'apt-get install iproute2' failed (no network or no Debian mirror?)" >&2
    exit 3
  }
fi
command -v ip >/dev/null 2>&1 || { echo "ensure-iproute2: 'ip' still not found after installing" >&2; exit 3; }
