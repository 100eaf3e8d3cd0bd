# Sourced by scripts/start after _platform.sh: installs what is missing on a
# Debian or Ubuntu machine, then creates the demo database. Each step checks
# first and says "ok" when there is nothing to do, so running it again on a
# machine that has everything installs nothing.
#
#   ODOO_HOME    where Odoo goes: src/ (its source), venv/, odoo.conf, log/, data/
#   ODOO_SOURCE  an Odoo 18.0 source already on disk (a checkout or an unpacked
#                archive) to copy instead of cloning Odoo's 18.0 branch

ODOO_REPOSITORY="https://github.com/odoo/odoo"
ODOO_BRANCH="18.0"
ODOO_CONF="${ODOO_CONF:-$ODOO_HOME/odoo.conf}"
ODOO_LOG_DIR="$ODOO_HOME/log"
VENV="$(dirname "$(dirname "$ODOO_PYTHON")")"
# Debian's names; PostgreSQL and Node.js are added when their commands are missing.
DEBIAN_PACKAGES=(
    git build-essential python3-dev python3-venv
    libldap2-dev libsasl2-dev libpq-dev     # python-ldap and psycopg2 build against them
    wkhtmltopdf fonts-noto-core fonts-dejavu-core
)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
SETUP_STEPS=0
SETUP_DONE=0

now_ms() { date +%s%3N; }

duration() {
    local ms=$(($(now_ms) - $1))
    if [ $ms -lt 60000 ]; then
        printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
    else
        printf '%d min %02d s' $((ms / 60000)) $((ms % 60000 / 1000))
    fi
}

# run_step NAME TITLE: "NAME_needed" says whether there is work, "NAME_install" does it.
run_step() {
    local name=$1 title=$2 started
    started=$(now_ms)
    SETUP_STEPS=$((SETUP_STEPS + 1))
    if ! "${name}_needed"; then
        echo "[$SETUP_STEPS] $title: ok"
        return
    fi
    echo "[$SETUP_STEPS] $title..."
    "${name}_install"
    SETUP_DONE=$((SETUP_DONE + 1))
    echo "    done in $(duration "$started")"
}

# Debian packages ---------------------------------------------------------

missing_debian_packages() {
    local package
    for package in "${DEBIAN_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] \
            || echo "$package"
    done
    command -v psql >/dev/null 2>&1 || echo postgresql
    # Node.js may come from elsewhere (NodeSource, nvm): only its absence calls for Debian's.
    command -v node >/dev/null 2>&1 || echo nodejs
    command -v npm >/dev/null 2>&1 || echo npm
}

packages_needed() {
    [ -n "$(missing_debian_packages)" ] || ! command -v rtlcss >/dev/null 2>&1
}

packages_install() {
    local missing
    mapfile -t missing < <(missing_debian_packages)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "    apt-get install ${missing[*]}"
        $SUDO apt-get update -qq || fail "apt-get update failed."
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
            || fail "Could not install ${missing[*]}."
    fi
    # rtlcss mirrors the style sheets for right-to-left languages (Arabic).
    if ! command -v rtlcss >/dev/null 2>&1; then
        echo "    npm install -g rtlcss"
        $SUDO npm install -g -q rtlcss >/dev/null || fail "Could not install rtlcss."
    fi
}

# PostgreSQL --------------------------------------------------------------

postgresql_needed() {
    ! psql -d postgres -Atqc "SELECT 1" >/dev/null 2>&1
}

as_postgres() {
    if [ -n "$SUDO" ]; then
        sudo -u postgres "$@"
    else
        su postgres -c "$(printf '%q ' "$@")"
    fi
}

postgresql_install() {
    if ! pg_isready -q 2>/dev/null; then
        echo "    starting PostgreSQL"
        if [ -d /run/systemd/system ]; then
            $SUDO systemctl start postgresql || fail "PostgreSQL could not be started."
        else
            # No systemd (a container): start each cluster directly.
            [ -n "$(pg_lsclusters -h 2>/dev/null)" ] \
                || fail "PostgreSQL is installed but has no cluster (create one with pg_createcluster)."
            local version cluster
            while read -r version cluster _; do
                $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start 2>/dev/null || true
            done < <(pg_lsclusters -h)
        fi
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || fail "PostgreSQL is not answering on its default socket."
    fi
    if ! psql -d postgres -Atqc "SELECT 1" >/dev/null 2>&1; then
        local user
        user="$(id -un)"
        echo "    creating the PostgreSQL role $user"
        as_postgres createuser -s "$user" || fail "Could not create the PostgreSQL role $user."
    fi
}

# Odoo source -------------------------------------------------------------

odoo_serie() {
    sed -nE 's/^version_info = \(([0-9]+), ([0-9]+),.*/\1.\2/p' "$1/odoo/release.py" 2>/dev/null
}

source_needed() {
    [ ! -f "$ODOO_BIN" ]
}

make_odoo_home() {
    if ! mkdir -p "$ODOO_HOME" 2>/dev/null; then
        $SUDO mkdir -p "$ODOO_HOME" && $SUDO chown "$(id -u):$(id -g)" "$ODOO_HOME" \
            || fail "Could not create $ODOO_HOME."
    fi
    [ -w "$ODOO_HOME" ] || fail "$ODOO_HOME is not writable by $(id -un)."
}

source_install() {
    local src="$ODOO_HOME/src" partial="$ODOO_HOME/src.partial"
    [ ! -e "$src" ] || fail "$src exists but holds no odoo-bin: move it away or set ODOO_BIN."
    make_odoo_home
    rm -rf "$partial"
    if [ -n "${ODOO_SOURCE:-}" ]; then
        [ "$(odoo_serie "$ODOO_SOURCE")" = "18.0" ] \
            || fail "ODOO_SOURCE=$ODOO_SOURCE is not an Odoo 18.0 source (no odoo/release.py of 18.0)."
        echo "    copying $ODOO_SOURCE"
        cp -a "$ODOO_SOURCE" "$partial" || fail "Could not copy $ODOO_SOURCE."
    else
        echo "    git clone --depth 1 --branch $ODOO_BRANCH $ODOO_REPOSITORY"
        git clone -q --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPOSITORY" "$partial" \
            || fail "Could not clone Odoo $ODOO_BRANCH (set ODOO_SOURCE to a source already on disk)."
    fi
    [ "$(odoo_serie "$partial")" = "18.0" ] || fail "The source in $partial is not Odoo 18.0."
    # Renamed only once complete, so that an interrupted copy is done again.
    mv "$partial" "$src"
    ADDONS_PATH="$(odoo_addons_path)"
}

# Odoo's virtual environment ----------------------------------------------

# venv_pip ARGS...: runs pip in Odoo's environment with its output in
# $ODOO_LOG_DIR/pip.log, printed (its end) when it fails.
venv_pip() {
    local log="$ODOO_LOG_DIR/pip.log"
    mkdir -p "$ODOO_LOG_DIR"
    echo "    pip $*"
    echo "== pip $*" >>"$log"
    if ! "$ODOO_PYTHON" -m pip "$@" >>"$log" 2>&1; then
        grep -v "^WARNING: Location" "$log" | tail -n 30 >&2
        fail "pip $* failed. Full log: $log"
    fi
}

venv_odoo_ok() {
    "$ODOO_PYTHON" - "$ODOO_HOME/src" 2>/dev/null <<'PY'
import sys
from importlib import metadata
from pathlib import Path

import odoo.release

sys.exit(
    odoo.release.serie != "18.0"
    or not Path(odoo.__path__[0]).resolve().is_relative_to(Path(sys.argv[1]).resolve())
    or not metadata.version("odoo").startswith("18.0")
)
PY
}

venv_needed() {
    [ -x "$ODOO_PYTHON" ] || return 0
    "$ODOO_PYTHON" "$REPO_ROOT/scripts/_requirements.py" "$ODOO_HOME/src/requirements.txt" \
        >/dev/null 2>&1 || return 0
    ! venv_odoo_ok
}

venv_install() {
    local constraints
    if [ ! -x "$ODOO_PYTHON" ]; then
        echo "    python3 -m venv $VENV"
        python3 -m venv "$VENV" || fail "Could not create the virtual environment $VENV."
    fi
    # cbor2 5.4.2 builds only with setuptools < 70: pip >= 25.3 reads the build
    # constraint, older pip the general one.
    constraints="$(mktemp)"
    echo "setuptools<70" >"$constraints"
    PIP_BUILD_CONSTRAINT="$constraints" PIP_CONSTRAINT="$constraints" \
        venv_pip install -r "$ODOO_HOME/src/requirements.txt"
    rm -f "$constraints"
    venv_pip install --no-deps -e "$ODOO_HOME/src"
    venv_odoo_ok || fail "$ODOO_PYTHON does not import Odoo 18.0 from $ODOO_HOME/src."
}

# Our Python packages -----------------------------------------------------

site_packages() {
    "$ODOO_PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
}

python_packages_needed() {
    "$ODOO_PYTHON" "$REPO_ROOT/scripts/_requirements.py" "$REPO_ROOT/requirements.txt" \
        >/dev/null 2>&1 || return 0
    [ "$(cat "$(site_packages)/odoo-src.pth" 2>/dev/null)" != "$ODOO_HOME/src" ]
}

python_packages_install() {
    venv_pip install -r "$REPO_ROOT/requirements.txt"
    # OCA addons from PyPI create site-packages/odoo/addons, which hides the
    # source install of Odoo from plain Python: a .pth naming the source
    # puts it first again.
    echo "$ODOO_HOME/src" >"$(site_packages)/odoo-src.pth"
    venv_odoo_ok || fail "$ODOO_PYTHON does not import Odoo 18.0 from $ODOO_HOME/src."
}

# Odoo configuration ------------------------------------------------------

config_needed() {
    [ ! -f "$ODOO_CONF" ]
}

config_install() {
    echo "    writing $ODOO_CONF"
    cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $ODOO_HOME/data
; PostgreSQL on its local socket, as the current user
db_host = False
db_port = False
db_user = False
db_password = False
CONF
}

# Database ----------------------------------------------------------------

db_exists() {
    [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]
}

db_query() {
    psql -d "$DB" -Atqc "$1" 2>/dev/null
}

module_installed() {
    [ "$(db_query "SELECT state FROM ir_module_module WHERE name = '$1'")" = installed ]
}

database_needed() {
    [ "${RESET:-0}" = 0 ] || return 0
    db_exists || return 0
    local addons installed
    IFS=, read -ra addons <<<"$ADDONS"
    installed="$(db_query "SELECT count(*) FROM ir_module_module
        WHERE state = 'installed' AND name = ANY(string_to_array('$ADDONS', ','))")"
    [ "$installed" != ${#addons[@]} ]
}

# The ERROR and CRITICAL records of a log (with their tracebacks) from byte $2 on.
log_errors() {
    tail -c +"$2" "$1" | awk '
        /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (ERROR|CRITICAL) / { keep = 1; print; next }
        /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ / { keep = 0 }
        keep'
}

# Prints which module Odoo is loading and the demo data's progress while
# Odoo writes to the log, until process $2 ends.
show_progress() {
    tail -c +"$3" -F --pid="$2" "$1" 2>/dev/null \
        | sed -nuE \
            -e 's/.* odoo\.modules\.loading: Loading module ([^ ]+) \(([0-9]+\/[0-9]+)\).*/      \2 \1/p' \
            -e 's/.* (Demo data: .*[^ ]) *$/      \1/p'
}

# odoo_logged TITLE [shell] ODOO_ARGS...: runs Odoo (its shell reading
# $ODOO_INPUT) with its log in $SETUP_LOG, shows its progress, and on failure
# prints the errors and where the log is.
odoo_logged() {
    local title=$1 started offset pid rc=0 errors command=()
    shift
    [ "$1" = shell ] && { command=(shell); shift; }
    started=$(now_ms)
    echo "    $title"
    offset=$(($(stat -c %s "$SETUP_LOG") + 1))
    "$ODOO_PYTHON" "$ODOO_BIN" "${command[@]}" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
        -d "$DB" --logfile="$SETUP_LOG" --log-level=info --http-port="$PORT" "$@" \
        <"${ODOO_INPUT:-/dev/null}" >>"$SETUP_LOG" 2>&1 &
    pid=$!
    show_progress "$SETUP_LOG" "$pid" "$offset"
    wait "$pid" || rc=$?
    errors="$(log_errors "$SETUP_LOG" "$offset")"
    if [ $rc -ne 0 ] || [ -n "$errors" ]; then
        echo "error: $title failed (Odoo exited with code $rc). From its log:" >&2
        echo "${errors:-$(tail -n 30 "$SETUP_LOG")}" | tail -n 80 >&2
        echo "Full log: $SETUP_LOG" >&2
        exit 1
    fi
    echo "      ($(duration "$started"))"
}

database_install() {
    mkdir -p "$ODOO_LOG_DIR"
    SETUP_LOG="$ODOO_LOG_DIR/$DB-setup.log"
    echo "    log: $SETUP_LOG"
    if [ "${RESET:-0}" = 1 ]; then
        PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$DB"
        RESET=0
    fi
    if ! db_exists || ! module_installed base; then
        : >"$SETUP_LOG"
        PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$DB"
        odoo_logged "creating $DB: Odoo's base, demo data, English and Arabic" \
            -i base --load-language=en_US,ar_001 --stop-after-init
    fi
    if [ "$(db_query "SELECT country.code FROM res_company company
            JOIN res_partner partner ON partner.id = company.partner_id
            JOIN res_country country ON country.id = partner.country_id
            WHERE company.id = 1")" != SA ]; then
        # As Odoo's database manager does for a country chosen at creation.
        ODOO_INPUT="$(mktemp)"
        cat >"$ODOO_INPUT" <<'PY'
saudi_arabia = env.ref("base.sa")
env["res.company"].browse(1).write(
    {"country_id": saudi_arabia.id, "currency_id": saudi_arabia.currency_id.id}
)
env["res.users"].search([]).write({"tz": "Asia/Riyadh"})
env.cr.commit()
PY
        odoo_logged "the company in Saudi Arabia, in SAR" shell --no-http
        rm -f "$ODOO_INPUT"
        ODOO_INPUT=""
    fi
    if ! module_installed account; then
        # Installed first, so that the Saudi chart of accounts (l10n_sa, which
        # follows the company's country) is in place for our demo invoices.
        odoo_logged "Invoicing with the Saudi chart of accounts" -i account --stop-after-init
    fi
    odoo_logged "the four addons and their demo data" -i "$ADDONS" --stop-after-init
    database_needed && fail "The addons are not all installed in $DB. Full log: $SETUP_LOG"
    return 0
}

setup_platform() {
    local started
    started=$(now_ms)
    run_step packages "Debian packages"
    run_step postgresql "PostgreSQL running, with a role for $(id -un)"
    run_step source "Odoo 18.0 source in $ODOO_HOME/src"
    run_step venv "Odoo's virtual environment $VENV"
    run_step python_packages "Our Python packages (requirements.txt)"
    run_step config "Odoo configuration $ODOO_CONF"
    run_step database "Database $DB with the four addons and their demo data"
    if [ $SETUP_DONE -eq 0 ]; then
        echo "Everything was already set up ($(duration "$started"))."
    else
        echo "Set up in $(duration "$started"): $SETUP_DONE of $SETUP_STEPS steps done, the others were ok."
    fi
}
