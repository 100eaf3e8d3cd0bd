"""Demo history of the loyalty program: not part of the addon's models,
imported by ``loyalty.program._sh_generate_demo`` when the demo data
(demo/sh_loyalty_demo.xml) is loaded."""

from dateutil.relativedelta import relativedelta

from odoo import fields


def generate_demo(program):
    """The program of the demo database, as if it had run since the
    first demo invoice: the customers who bought earn their points at
    the date of each invoice and credit note, and the daily run expires
    each lot on its own expiry date, so that the points ledger holds the
    history of a running program, not a day of expiries. Then the
    customers are enrolled (``_sh_enrol_customers_with_sales``): their
    tiers follow today's rolling 12-month net sales, nothing left to
    expire, no customer e-mailed.

    The tiers wait for that last step: reviewing them on a past day
    would compare that day's sales with tiers given on today's sales
    and log tier changes that never happened.
    """
    env = program.env
    company = program.company_id
    if not company or program._sh_customer_programs(company).get(company.id) != program:
        return
    Card = env["loyalty.card"].with_context(sh_loyalty_no_notify=True)
    today = fields.Date.context_today(program)
    moves = env["account.move"].search(
        [
            ("company_id", "=", company.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ],
        order="invoice_date, id",
    )
    months = program.sh_validity_months
    expiry_days = sorted(
        {
            move.invoice_date + relativedelta(months=months)
            for move in moves
            if move.move_type == "out_invoice"
        }
        if months
        else ()
    )
    tiers = program.sh_tier_ids.filtered("active")
    tiers.active = False
    Lot = env["sh.loyalty.lot"]
    done = 0
    for day in expiry_days:
        if day >= today:
            break
        # The documents before the day, then that day's daily run for
        # the members whose points expire on it.
        end = done
        while end < len(moves) and moves[end].invoice_date < day:
            end += 1
        if end > done:
            Card._sh_sync_moves(moves[done:end])
            done = end
        due = Lot.search(
            [
                ("card_id.program_id", "=", program.id),
                ("remaining", ">", 0),
                ("expiry_date", "<=", day),
            ]
        )
        if due:
            Card._sh_expire_and_review(due.card_id.ids, day)
    tiers.active = True
    program._sh_enrol_customers_with_sales()
