#!/usr/bin/env bash
# Checks and unit-tests the alerting rules with promtool (run by `mvn verify` through
# node's AlertRulesTest, and by hand: deploy/prometheus/test-rules.sh).
#
# promtool comes with the Debian package `prometheus`. When it is missing and we are root with apt,
# it is installed (once per machine; the package's service is not started in containers, and on a
# systemd host it is stopped and disabled again right away). Without promtool and without a way to
# install it this fails (exit 3) with a message: a rule file nobody checked must not pass CI.
# Set PROMTOOL=/path/to/promtool to use another binary.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
promtool=${PROMTOOL:-promtool}

if ! command -v "$promtool" >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-rules: promtool not found and cannot install it (needs root and apt-get);" \
         "install the 'prometheus' package or set PROMTOOL" >&2
    exit 3
  fi
  echo "test-rules: promtool not found; installing the Debian package 'prometheus'" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Others may be running apt on a shared machine: wait for the dpkg lock rather than fail.
  apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
  if ! apt-get install "${apt_opts[@]}" prometheus >&2; then
    # A fresh machine or container often has no package lists yet.
    apt-get update -q -o DPkg::Lock::Timeout=600 >&2 || true
    apt-get install "${apt_opts[@]}" prometheus >&2 || {
      echo "test-rules: 'apt-get install prometheus' failed (no network or no Debian mirror?);" \
           "install promtool by hand or set PROMTOOL" >&2
      exit 3
    }
  fi
  # We only wanted promtool: never leave a Prometheus server running on a build machine.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  command -v "$promtool" >/dev/null 2>&1 || { echo "test-rules: promtool still not found after installing" >&2; exit 3; }
fi

cd "$here"
"$promtool" check rules meridian-rules.yml
"$promtool" test rules meridian-rules.test.yml
