# Run by scripts/uninstall-test inside `odoo shell` (``env`` is given):
# uninstalls the addons one after the other, each time checking that what
# users entered in Odoo's own models is still there and still opens, then
# installs them again. Prints one line per check and a closing line
# "uninstall: N passed, M failed".
import time

from odoo import SUPERUSER_ID, api

ORDER = ["sh_reports", "sh_interactions", "sh_loyalty", "sh_customers"]
ADDONS = ["sh_customers", "sh_loyalty", "sh_interactions", "sh_reports"]
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def fresh_env():
    """An environment on the registry that the last (un)install rebuilt."""
    env.cr.rollback()
    return api.Environment(env.cr, SUPERUSER_ID, {"active_test": False})


def figures(env):
    """What users entered in Odoo's own models, counted and summed."""
    cr = env.cr
    out = {}

    def one(key, query):
        cr.execute(query)
        out[key] = tuple(
            round(value, 2) if isinstance(value, float) else value for value in cr.fetchone()
        )

    one("partners", "SELECT count(*), count(*) FILTER (WHERE active) FROM res_partner")
    one(
        "posted moves",
        "SELECT count(*), sum(amount_total)::float8, sum(amount_residual)::float8"
        " FROM account_move WHERE state = 'posted'",
    )
    one("move lines", "SELECT count(*), sum(balance)::float8 FROM account_move_line")
    one("payments", "SELECT count(*), sum(amount)::float8 FROM account_payment")
    one("reconciliations", "SELECT count(*), sum(amount)::float8 FROM account_partial_reconcile")
    one("products", "SELECT count(*), count(*) FILTER (WHERE active) FROM product_product")
    one("loyalty cards", "SELECT count(*), sum(points)::float8 FROM loyalty_card")
    one(
        "loyalty history",
        "SELECT count(*), sum(issued)::float8, sum(used)::float8 FROM loyalty_history",
    )
    one(
        "loyalty programs",
        "SELECT count(*) FROM loyalty_program WHERE id IN (SELECT program_id FROM loyalty_card)",
    )
    one(
        "loyalty rewards",
        "SELECT count(*),"
        " count(*) FILTER (WHERE reward_type != 'product' OR reward_product_id IS NOT NULL)"
        " FROM loyalty_reward WHERE program_id IN (SELECT program_id FROM loyalty_card)",
    )
    one("activities", "SELECT count(*), count(activity_type_id) FROM mail_activity")
    one(
        "partners' receivable",
        "SELECT sum(amount_residual)::float8 FROM account_move_line"
        " WHERE account_id IN"
        " (SELECT id FROM account_account WHERE account_type = 'asset_receivable')",
    )
    return out


def kept(env):
    """The records kept in use, as the addons find them again once
    installed: the customers' program, its rewards and cards, the task
    activity type, the catalogue."""
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM loyalty_card WHERE program_id IN"
        " (SELECT res_id FROM ir_model_data"
        "   WHERE module = 'sh_loyalty' AND name = 'loyalty_program_sh_customers')"
    )
    cards = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mail_activity_type WHERE name->>'en_US' = 'Customer Task'")
    task_types = cr.fetchone()[0]
    cr.execute(
        "SELECT array_agg(required_points ORDER BY id) FROM loyalty_reward WHERE program_id IN"
        " (SELECT res_id FROM ir_model_data"
        "   WHERE module = 'sh_loyalty' AND name = 'loyalty_program_sh_customers')"
    )
    rewards = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*), count(DISTINCT default_code) FROM product_product"
        " WHERE default_code IS NOT NULL"
    )
    return {
        "rewards of the customers' program": rewards,
        "cards of the customers' program": cards,
        "task activity types": task_types,
        "products with a code": cr.fetchone(),
    }


def screens(env, label):
    """Odoo's own screens still open: their views build and their records read."""
    checks = [
        ("res.partner", ["form", "list", "kanban", "search"], ["name", "credit", "total_invoiced"]),
        ("account.move", ["form", "list", "search"], ["name", "amount_total", "invoice_line_ids"]),
        ("account.payment", ["form", "list"], ["name", "amount", "reconciled_invoice_ids"]),
        ("product.product", ["form", "list"], ["name", "lst_price"]),
        ("loyalty.card", ["form", "list"], ["code", "points", "program_id", "partner_id"]),
        ("loyalty.program", ["form", "list"], ["name", "reward_ids", "coupon_count"]),
        ("mail.activity", ["form", "list"], ["summary", "activity_type_id", "res_name"]),
    ]
    for model, view_types, fnames in checks:
        if model not in env:
            continue
        try:
            with env.cr.savepoint():
                env[model].get_views([(False, view_type) for view_type in view_types])
                records = env[model].search([], limit=80)
                records.read(fnames)
                if model == "res.partner":
                    records.read(list(env[model].fields_get(attributes=["type"])))
        except Exception as error:  # noqa: BLE001 - reported as the check's failure
            check(f"{label}: {model} opens", False, repr(error)[:300])
        else:
            check(f"{label}: {model} opens", True)
    # Partners, cards and their history can still be written:
    # no trigger of an uninstalled addon is left on Odoo's tables (the
    # writes are rolled back).
    writes = {
        "partners": "UPDATE res_partner SET active = active WHERE id IN"
        " (SELECT id FROM res_partner WHERE customer_rank > 0 LIMIT 80)",
        "loyalty cards and their history": "UPDATE loyalty_card SET active = active"
        " WHERE id IN (SELECT id FROM loyalty_card LIMIT 80);"
        " DELETE FROM loyalty_history WHERE card_id IN (SELECT id FROM loyalty_card LIMIT 80)",
    }
    for what, statement in writes.items():
        env.cr.execute("SAVEPOINT write_check")
        try:
            env.cr.execute(statement)
        except Exception as error:  # noqa: BLE001 - reported as the check's failure
            check(f"{label}: {what} can be written", False, repr(error)[:300])
        else:
            check(f"{label}: {what} can be written", True)
        finally:
            env.cr.execute("ROLLBACK TO SAVEPOINT write_check")


def leftovers(env):
    """Once every addon is uninstalled, nothing of theirs is left on Odoo's
    tables: no index, trigger or extended statistics named after them, and
    res_partner has PostgreSQL's fill factor again."""
    cr = env.cr
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        " AND (indexname LIKE %s OR indexname LIKE %s) AND tablename NOT LIKE 'sh\\_%%'",
        ["%\\_sh\\_%", "sh\\_%"],
    )
    indexes = [row[0] for row in cr.fetchall()]
    check("after every addon: no index of ours on Odoo's tables", not indexes, str(indexes))
    cr.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'sh\\_%%'")
    triggers = [row[0] for row in cr.fetchall()]
    check("after every addon: no trigger of ours", not triggers, str(triggers))
    cr.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)",
        [["sh_loyalty_member", "sh_loyalty_point_total", "sh_loyalty_tier_total"]],
    )
    tables = [row[0] for row in cr.fetchall()]
    check("after every addon: no table of the loyalty figures", not tables, str(tables))
    cr.execute("SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE 'sh\\_%%'")
    statistics = [row[0] for row in cr.fetchall()]
    check("after every addon: no statistics of ours", not statistics, str(statistics))
    cr.execute("SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass")
    options = cr.fetchone()[0]
    check("after every addon: res_partner's fill factor is PostgreSQL's", not options, str(options))


def states(env, names):
    modules = env["ir.module.module"].search([("name", "in", names)])
    return {module.name: module.state for module in modules}


env = fresh_env()
# What the shop made of the records kept in use: a reward of the customers'
# program asks for other points, which installing again must not undo.
program = env.ref("sh_loyalty.loyalty_program_sh_customers")
program.reward_ids[:1].required_points = 777
env.cr.commit()
before = figures(env)
kept_before = kept(env)
print("figures:", before, flush=True)
for name in ORDER:
    started = time.monotonic()
    module = env["ir.module.module"].search([("name", "=", name)])
    try:
        module.button_immediate_uninstall()
    except Exception as error:  # noqa: BLE001 - reported as the check's failure
        check(f"uninstall {name}", False, repr(error)[:300])
        env = fresh_env()
        continue
    env = fresh_env()
    check(
        f"uninstall {name} ({time.monotonic() - started:.0f} s)",
        states(env, [name])[name] == "uninstalled",
        str(states(env, [name])),
    )
    after = figures(env)
    for key, value in before.items():
        check(f"after {name}: {key}", after[key] == value, f"{value} -> {after[key]}")
    screens(env, f"after {name}")
    if name == ORDER[-1]:
        leftovers(env)

started = time.monotonic()
try:
    env["ir.module.module"].search([("name", "in", ADDONS)]).button_immediate_install()
except Exception as error:  # noqa: BLE001 - reported as the check's failure
    check("install again", False, repr(error)[:300])
else:
    env = fresh_env()
    installed = states(env, ADDONS)
    check(
        f"install again ({time.monotonic() - started:.0f} s)",
        all(state == "installed" for state in installed.values()),
        str(installed),
    )
    after = figures(env)
    check("after install again: partners kept", after["partners"][0] >= before["partners"][0])
    kept_after = kept(env)
    check(
        "after install again: the same program, more cards (demo customers again)",
        kept_after["cards of the customers' program"]
        >= kept_before["cards of the customers' program"],
        f"{kept_before} -> {kept_after}",
    )
    for key in ("rewards of the customers' program", "task activity types", "products with a code"):
        check(
            f"after install again: {key}",
            kept_after[key] == kept_before[key],
            f"{kept_before[key]} -> {kept_after[key]}",
        )
    screens(env, "after install again")
print(f"uninstall: {results['passed']} passed, {results['failed']} failed", flush=True)
