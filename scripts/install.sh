#!/usr/bin/env bash
# Installs what Mutualis needs and is missing: Debian packages (when run as root), uv, then the
# Python packages from the committed lock. `--test` adds what the test suite needs; `--production` installs
# the application's packages only (no test, benchmark or audit tool: `make serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
want_test=0
groupes=()
[ "${1:-}" = "--test" ] && want_test=1
[ "${1:-}" = "--production" ] && groupes=(--no-dev)

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
# Bytecode written now, not at each first import: without it a fresh install's first `mutualis` command
# compiles some 1,200 modules (about 2 s; issue 17). uv compiles the locked packages (16 s the first time,
# about 1 s on a later run); compileall the project's own packages (0.9 s, then 0.2 s: a file whose
# bytecode is current is skipped; __pycache__ is in .gitignore). A file that does not compile is left to
# the tests and to ruff, which say where.
$UV sync --locked --quiet --compile-bytecode "${groupes[@]}"
paquets=()
for init in */__init__.py; do paquets+=("${init%/__init__.py}"); done
"${UV_PROJECT_ENVIRONMENT:-.venv}/bin/python" -m compileall -q "${paquets[@]}" \
  || echo "Compilation incomplète (voir ci-dessus) : ces modules seront compilés à leur premier import." >&2
