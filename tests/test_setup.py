"""scripts/start on a machine without Odoo: it installs Odoo 18.0 from a
source on disk into a new ODOO_HOME, creates the Saudi demo database, and a
second run installs nothing.

The source is a copy of the installed Odoo's (ODOO_HOME, /opt/odoo18 by
default): the way a user who has unpacked Odoo's 18.0 source sets up, with
no download.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLED_ODOO = Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
ADDONS = ["sh_customers", "sh_loyalty", "sh_interactions", "sh_reports"]
STEPS = [
    "Debian packages",
    "PostgreSQL running",
    "Odoo 18.0 source",
    "Odoo's virtual environment",
    "Our Python packages",
    "Odoo configuration",
    "Database",
]
# The steps that a new ODOO_HOME and a new database need, whatever the machine has.
INSTALL_STEPS = STEPS[2:]


def psql(db, query):
    result = subprocess.run(
        ["psql", "-d", db, "-Atqc", query], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def step_lines(output):
    """{step title: its line}, for the numbered step lines of the output."""
    lines = {}
    for line in output.splitlines():
        for step in STEPS:
            if re.match(rf"\[\d\] {re.escape(step)}", line):
                lines[step] = line
    return lines


def tree_fingerprint(path):
    """The names, sizes and modification times of every file under path
    (but Python's byte-code cache, which running Python may add to)."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            stat = os.lstat(os.path.join(root, name))
            digest.update(f"{root}/{name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def remove_leftovers():
    """Drop the databases and folders of earlier runs whose process is gone
    (a run stopped by a timeout has no chance to clean up)."""
    for db in psql("postgres", "SELECT datname FROM pg_database").split():
        match = re.fullmatch(r"sh_setup_test_(\d+)", db)
        if match and not Path(f"/proc/{match[1]}").exists():
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    for folder in Path(tempfile.gettempdir()).glob("sh_setup_test_*"):
        match = re.fullmatch(r"sh_setup_test_(\d+)_.*", folder.name)
        if match and not Path(f"/proc/{match[1]}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture
def setup_env():
    source = INSTALLED_ODOO / "src"
    assert (source / "odoo-bin").is_file(), f"no Odoo source to copy at {source}"
    remove_leftovers()
    # Stopped from outside (a timeout), the test still drops its database.
    previous_handler = signal.signal(signal.SIGTERM, stop_on_sigterm)
    tmp = Path(tempfile.mkdtemp(prefix=f"sh_setup_test_{os.getpid()}_"))
    db = f"sh_setup_test_{os.getpid()}"
    try:
        source_copy = tmp / "odoo18-source"
        subprocess.run(["cp", "-a", str(source), str(source_copy)], check=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"ODOO_PYTHON", "ODOO_BIN", "ODOO_CONF", "SH_NO_SERVE"}
        }
        env.update(
            ODOO_SOURCE=str(source_copy),
            ODOO_HOME=str(tmp / "odoo18"),
            SH_DB=db,
            SH_PORT="8101",
        )
        yield env
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous_handler)


def run_start(env, *args):
    """scripts/start in a process group of its own, stopped with Odoo under
    it if the test is interrupted."""
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "start"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return process.returncode, stdout, stderr


def start(env):
    returncode, stdout, stderr = run_start(env, "--no-serve")
    output = stdout + stderr
    assert returncode == 0, output
    return output


def test_start_installs_odoo_and_the_saudi_demo_database_then_changes_nothing(setup_env):
    home = Path(setup_env["ODOO_HOME"])
    db = setup_env["SH_DB"]
    python = home / "venv" / "bin" / "python"

    output = start(setup_env)

    lines = step_lines(output)
    assert list(lines) == STEPS, output
    for step in INSTALL_STEPS:
        assert lines[step].endswith("..."), f"{step} did not run:\n{output}"
    assert output.count("    done in ") >= len(INSTALL_STEPS), output
    # Module loading is shown while the database is created.
    assert re.search(r"^ +\d+/\d+ sh_customers$", output, re.MULTILINE), output
    assert f"Database {db} is ready (--no-serve: Odoo is not started)." in output

    # Odoo 18.0 runs from the copied source, in its own virtual environment.
    odoo = subprocess.run(
        [str(python), "-c", "import odoo.release; print(odoo.release.serie, odoo.__path__[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert odoo == ["18.0", str(home / "src" / "odoo")]
    config = (home / "odoo.conf").read_text()
    assert f"addons_path = {home / 'src' / 'odoo' / 'addons'},{ROOT}" in config
    assert f"data_dir = {home / 'data'}" in config

    # The four addons with their demo data, in a Saudi company keeping its books in SAR.
    installed = psql(
        db,
        "SELECT string_agg(name, ',' ORDER BY name) FROM ir_module_module "
        "WHERE state = 'installed' AND name IN ('sh_customers', 'sh_loyalty', "
        "'sh_interactions', 'sh_reports', 'l10n_sa')",
    )
    assert installed.split(",") == sorted([*ADDONS, "l10n_sa"])
    company = psql(
        db,
        "SELECT country.code, currency.name, company.chart_template FROM res_company company "
        "JOIN res_partner partner ON partner.id = company.partner_id "
        "JOIN res_country country ON country.id = partner.country_id "
        "JOIN res_currency currency ON currency.id = company.currency_id WHERE company.id = 1",
    )
    assert company == "SA|SAR|sa"
    languages = psql(db, "SELECT string_agg(code, ',' ORDER BY code) FROM res_lang WHERE active")
    assert languages == "ar_001,en_US"
    invoices = psql(
        db,
        "SELECT count(*), count(*) FILTER (WHERE currency.name = 'SAR') FROM account_move move "
        "JOIN res_currency currency ON currency.id = move.currency_id "
        "WHERE move.company_id = 1 AND move.move_type = 'out_invoice' AND move.state = 'posted'",
    ).split("|")
    assert int(invoices[0]) > 0 and invoices[0] == invoices[1], invoices

    # Again on a machine that has everything: no step runs, nothing changes.
    venv_before = tree_fingerprint(home / "venv")
    freeze_before = subprocess.run(
        [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    config_before = (home / "odoo.conf").read_text()
    modules_before = psql(db, "SELECT max(write_date) FROM ir_module_module")

    output = start(setup_env)

    lines = step_lines(output)
    assert list(lines) == STEPS, output
    for step in STEPS:
        assert lines[step].endswith(": ok"), f"{step} ran again:\n{output}"
    assert "done in" not in output
    assert "Everything was already set up" in output
    assert tree_fingerprint(home / "venv") == venv_before
    assert (
        subprocess.run(
            [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
        ).stdout
        == freeze_before
    )
    assert (home / "odoo.conf").read_text() == config_before
    assert psql(db, "SELECT max(write_date) FROM ir_module_module") == modules_before

    # A failure while creating the database shows Odoo's error and where its log is.
    broken = config_before.replace("db_user = False", "db_user = sh_setup_no_such_role")
    (home / "odoo.conf").write_text(broken)
    returncode, _stdout, stderr = run_start(setup_env, "--no-serve", "--reset")
    log = home / "log" / f"{db}-setup.log"
    assert returncode != 0
    assert 'role "sh_setup_no_such_role" does not exist' in stderr, stderr
    assert stderr.rstrip().endswith(f"Full log: {log}"), stderr
    assert 'role "sh_setup_no_such_role" does not exist' in log.read_text()
