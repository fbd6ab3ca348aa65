#!/usr/bin/env bash
# Installs what Mutualis needs and is missing: Debian packages (when run as root), uv, then the
# Python packages from the committed lock. `--test` adds what the test suite needs.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

missing=()
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing+=("$1"); }
if command -v dpkg-query >/dev/null 2>&1; then
  # WeasyPrint's libraries (documents); PostgreSQL and Chromium for the tests.
  need_pkg libpango-1.0-0; need_pkg libharfbuzz-subset0
  if [ $want_test = 1 ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    need_pkg poppler-utils
    # LibreOffice opens the exported spreadsheets in the tests (never at run time).
    need_pkg libreoffice-calc-nogui; need_pkg libreoffice-writer-nogui
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installation des paquets Debian manquants : ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Paquets Debian manquants (à installer en root) : ${missing[*]}" >&2
    fi
  fi
fi

# uv: the one on PATH when it answers, else a private copy under .tools/.
if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
  UV=uv
else
  if [ ! -x .tools/bin/uv ]; then
    python3 -m venv .tools
    .tools/bin/pip install -q "uv==${UV_VERSION}"
  fi
  UV=.tools/bin/uv
fi
# uv may download Python 3.12 on a machine without it; where one is installed, use it.
if command -v python3.12 >/dev/null 2>&1 || ls "$HOME"/.pyenv/versions/3.12*/bin/python3.12 >/dev/null 2>&1; then
  export UV_PYTHON_DOWNLOADS=never
fi
$UV sync --locked --quiet
