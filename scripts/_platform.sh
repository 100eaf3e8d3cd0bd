# Shared by scripts/start and scripts/test: finds Odoo and PostgreSQL or
# says what is missing. ODOO_HOME points at an Odoo 18.0 source install
# (src/ and venv/ inside it); it defaults to /opt/odoo18.
ODOO_HOME="${ODOO_HOME:-/opt/odoo18}"
ODOO_PYTHON="${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}"
ODOO_BIN="${ODOO_BIN:-$ODOO_HOME/src/odoo-bin}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDONS_PATH="$ODOO_HOME/src/odoo/addons,$REPO_ROOT"

# A checkout of Odoo's repository keeps its addons in src/addons (a release
# archive has them in src/odoo/addons). Called again once the source is there.
odoo_addons_path() {
    if [ -d "$ODOO_HOME/src/addons/web" ]; then
        echo "$ODOO_HOME/src/addons,$ODOO_HOME/src/odoo/addons,$REPO_ROOT"
    else
        echo "$ODOO_HOME/src/odoo/addons,$REPO_ROOT"
    fi
}
ADDONS_PATH="$(odoo_addons_path)"

fail() {
    echo "error: $*" >&2
    exit 1
}

check_platform() {
    [ -x "$ODOO_PYTHON" ] || fail "Odoo's Python was not found at $ODOO_PYTHON.
Install Odoo 18.0 Community from source into \$ODOO_HOME (now $ODOO_HOME): source in
\$ODOO_HOME/src, virtual environment in \$ODOO_HOME/venv. See README.md, Prerequisites."
    [ -f "$ODOO_BIN" ] || fail "odoo-bin was not found at $ODOO_BIN (set ODOO_HOME or ODOO_BIN)."
    local version
    version="$("$ODOO_PYTHON" -c 'import odoo.release as r; print(r.serie)' 2>/dev/null)" \
        || fail "Odoo cannot be imported with $ODOO_PYTHON."
    [ "$version" = "18.0" ] || fail "Odoo 18.0 is required, found $version at $ODOO_HOME."
    command -v pg_isready >/dev/null 2>&1 || fail "PostgreSQL client tools (pg_isready, createdb) are not installed."
    pg_isready -q || fail "PostgreSQL is not answering on its default socket. Start it, e.g.:
  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
}

odoo() {
    "$ODOO_PYTHON" "$ODOO_BIN" --addons-path="$ADDONS_PATH" "$@"
}

ADDONS="sh_customers,sh_loyalty,sh_interactions,sh_reports"
