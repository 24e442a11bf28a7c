#!/usr/bin/env bash
# Install the Debian packages the test suite needs (idempotent; run as root).
#
#   dovecot-imapd  real IMAP server for tests/imap_server.py (started per test
#                  session on a random loopback port with its own config)
#   chromium       headless browser for the e2e tests
#   nginx          the HTTP cache in front of a live test server (started per test
#                  from a throwaway config)
#   python3-venv   venvs for Debian's own /usr/bin/python3 (3.11.2): .ci/run checks
#                  that the lock files install there
#   redis-server   the production cache, for the tests that run the site's cache on a
#                  real Redis (the outage tests stop one mid-test); .ci/run starts one
#
# Installing dovecot must not leave the system daemon running on 143/993: the
# package's postinst calls invoke-rc.d, which we veto with a temporary
# policy-rc.d (exit 101 = "action forbidden") and, belt and braces, we stop any
# system dovecot afterwards.
set -euo pipefail

PACKAGES=(dovecot-imapd chromium docker-compose wrk nginx python3-venv redis-server)

if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-deps: must run as root (apt-get install)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-deps: apt-get not found; install manually: ${PACKAGES[*]}" >&2
    exit 1
fi

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! is_installed "$pkg"; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} > 0)); then
    # Forbid service starts during install unless the image already does so
    # (Debian's docker images ship their own policy-rc.d; leave that alone).
    policy=/usr/sbin/policy-rc.d
    own_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=1
    fi
    cleanup() {
        if ((own_policy)); then rm -f "$policy"; fi
    }
    trap cleanup EXIT

    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    cleanup
    trap - EXIT
fi

# If a system dovecot got started anyway (no policy honoured, or started
# earlier by hand), stop it so 143/993 stay free; the tests use their own.
if [[ -x /usr/sbin/dovecot && -s /run/dovecot/master.pid ]] \
    && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
    /usr/sbin/dovecot stop || true
    echo "dovecot: stopped the system daemon (tests start their own)"
fi

for pkg in "${PACKAGES[@]}"; do
    state=present
    for m in "${missing[@]}"; do
        [[ $m == "$pkg" ]] && state=installed
    done
    if ! is_installed "$pkg"; then
        echo "$pkg: FAILED to install" >&2
        exit 1
    fi
    echo "$pkg: $state ($(dpkg-query -W -f='${Version}' "$pkg"))"
done
