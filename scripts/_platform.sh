# Shared by scripts/start and scripts/test: finds Odoo and PostgreSQL or
# says what is missing. ODOO_HOME points at an Odoo 18.0 source install
# (src/ and venv/ inside it); it defaults to /opt/odoo18.
ODOO_HOME="${ODOO_HOME:-/opt/odoo18}"
ODOO_PYTHON="${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}"
ODOO_BIN="${ODOO_BIN:-$ODOO_HOME/src/odoo-bin}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDONS_PATH="$ODOO_HOME/src/odoo/addons,$REPO_ROOT"
# The local read replica (scripts/replica): a second PostgreSQL cluster.
REPLICA_PORT="${SH_REPLICA_PORT:-5433}"
REPLICA_CLUSTER="${SH_REPLICA_CLUSTER:-replica}"

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

# Reads the log of an Odoo test run: sets `passed` and `failed` from the
# runner's results and returns non-zero when no test ran, when a test failed,
# errored or was skipped (a skipped test is a failure here), or when the log
# has a WARNING or ERROR line that scripts/log-ignore.txt does not list.
# An optional second argument is an extended regular expression of skip
# lines that are expected (say why where it is given).
odoo_test_results() {
    local log="$1" known_skips="${2:-}" ok=0 f e t skipped skip_lines
    passed=0
    failed=0
    while read -r f e t; do
        failed=$((failed + f + e))
        passed=$((passed + t - f - e))
    done < <(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' "$log")
    skip_lines=$(grep -E 'odoo\.[a-z_.]+: skipped ' "$log")
    [ -z "$known_skips" ] || skip_lines=$(grep -vE "$known_skips" <<<"$skip_lines")
    skipped=$(grep -c . <<<"$skip_lines")
    if [ "$((passed + failed))" -eq 0 ]; then
        echo "No test ran."
        ok=1
    fi
    if [ "$skipped" -gt 0 ]; then
        echo "Skipped tests (a skipped test is a failure here):"
        echo "$skip_lines"
        failed=$((failed + skipped))
        passed=$((passed - skipped))
    fi
    if [ "$failed" -gt 0 ]; then
        echo "Failed tests:"
        grep -E ' (ERROR|FAIL): [A-Za-z_]+\.[A-Za-z_0-9]+' "$log" | sed -E 's/.*(ERROR|FAIL): /  \1: /'
        ok=1
    fi
    odoo_log_clean "$log" || ok=1
    return $ok
}

# Returns non-zero, and shows them, when Odoo's log has WARNING or ERROR
# lines that scripts/log-ignore.txt does not list.
odoo_log_clean() {
    local bad_lines
    bad_lines=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" \
        | grep -vEf <(grep -vE '^\s*(#|$)' "$REPO_ROOT/scripts/log-ignore.txt"))
    if [ -n "$bad_lines" ]; then
        echo "WARNING/ERROR lines in Odoo's log:"
        echo "$bad_lines" | cut -c1-400
        return 1
    fi
}
