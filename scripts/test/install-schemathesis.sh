#!/usr/bin/env bash
# Installs schemathesis, the api-fuzz suite's fuzzer, pinned, into a virtualenv of its own and prints the path of its
# `st`. Does nothing when that version is there already. Run by .ci/run and by `npm test`.
# Needs Python 3 with venv (Debian: apt-get install python3-venv, which this installs itself when run as root).
# The virtualenv lives outside the checkout: its symlinks to the system's Python would break `next build`, which
# follows the links under .data.
set -euo pipefail
VERSION=4.32.5
venv="${XDG_CACHE_HOME:-$HOME/.cache}/quoting-platform/schemathesis-$VERSION"
st="$venv/bin/st"

if ! "$st" --version >/dev/null 2>&1; then
  echo "installing schemathesis $VERSION into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! python3 -m venv "$venv" >&2; then
    # Debian's python3 leaves venv (ensurepip) to a package of its own.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      rm -rf "$venv"
      apt-get install -y -qq --no-install-recommends python3-venv >&2 || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends python3-venv >&2; }
      python3 -m venv "$venv" >&2
    else
      echo "python3 cannot make a virtualenv: install python3-venv (Debian) and run this again" >&2
      exit 1
    fi
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==$VERSION" >&2
  "$st" --version >&2
fi
echo "$st"
