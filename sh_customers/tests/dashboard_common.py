"""The documents of the dashboard's tests and what every test of it shares:
the customers and users set up from them, and the figures expected, each
computed from the documents."""

from odoo.tools.misc import format_amount

from .common import ShCustomersCommon

# The documents of the test, as (customer, kind, amount, date); every
# figure the tests expect is computed from this list.
DOCUMENTS = [
    ("regular", "out_invoice", 1000.0, "2024-08-01"),
    ("regular", "out_invoice", 1000.0, "2025-01-15"),
    ("regular", "out_invoice", 2000.0, "2025-08-01"),
    ("regular", "out_invoice", 1000.0, "2026-01-15"),
    ("regular", "out_refund", 200.0, "2026-02-10"),
    ("regular", "out_invoice", 500.0, "2026-06-01"),
    ("newcomer", "out_invoice", 150.0, "2026-06-02"),
    ("newcomer", "out_invoice", 250.0, "2026-06-20"),
    ("lapsed", "out_invoice", 100.0, "2025-12-01"),
    ("lapsed", "out_invoice", 100.0, "2025-12-11"),
    ("lapsed", "out_invoice", 100.0, "2025-12-21"),
    ("churner", "out_invoice", 400.0, "2024-12-01"),
    ("churner", "out_invoice", 400.0, "2025-01-01"),
    ("old_churned", "out_invoice", 600.0, "2023-09-01"),
    ("one_timer", "out_invoice", 800.0, "2025-10-01"),
]
# The cards of this addon (others add theirs).
OWN_CARDS = {
    "customers_with_purchases",
    "buyers",
    "new_buyers",
    "at_risk",
    "churned",
    "net_sales",
    "average_order_value",
    "repeat_purchase_rate",
    "retention",
    "debt",
    "overdue",
    "cei",
}
# Last 12 months on 2026-06-30, and the 12 months before.
PERIOD = ("2025-07-01", "2026-06-30")
PREVIOUS = ("2024-07-01", "2025-06-30")


def in_period(document, period):
    return period[0] <= document[3] <= period[1]


def net_sales(period, customer=None):
    return sum(
        amount if kind == "out_invoice" else -amount
        for name, kind, amount, date in DOCUMENTS
        if in_period((name, kind, amount, date), period) and customer in (None, name)
    )


def invoices(period, customer=None):
    return [
        document
        for document in DOCUMENTS
        if document[1] == "out_invoice"
        and in_period(document, period)
        and customer in (None, document[0])
    ]


class ShDashboardCommon(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the customers built here count: others (demo data) are not
        # customers for the duration of the test (sudo: the accounting test
        # user may not write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.company_a = cls.env.company
        cls.company_b = cls._second_company(name="Branch B")

        names = ("regular", "newcomer", "lapsed", "churner", "old_churned", "one_timer")
        cls.customers = {name: cls._customer(name.replace("_", " ").title()) for name in names}
        cls.customers["lapsed"].credit_limit = 250.0
        cls.prospect = cls._customer("Prospect", customer_rank=1)
        moves = {}
        for name, kind, amount, date in DOCUMENTS:
            due = {
                ("regular", "2026-06-01"): "2026-07-31",
                ("newcomer", "2026-06-20"): "2026-07-20",
                ("lapsed", "2025-12-01"): "2026-12-31",
                ("lapsed", "2025-12-11"): "2026-12-31",
                ("lapsed", "2025-12-21"): "2026-12-31",
                ("churner", "2025-01-01"): "2025-01-31",
            }.get((name, date), date)
            moves[name, date] = cls._invoice(
                cls.customers[name], amount, date, move_type=kind, invoice_date_due=due
            )
        # Paid: everything but regular's June invoice, newcomer's two,
        # lapsed's three and churner's second.
        for key, paid_on in (
            (("regular", "2024-08-01"), "2024-08-15"),
            (("regular", "2025-01-15"), "2025-02-01"),
            (("regular", "2025-08-01"), "2025-08-20"),
            (("churner", "2024-12-01"), "2024-12-10"),
            (("old_churned", "2023-09-01"), "2023-09-05"),
            (("one_timer", "2025-10-01"), "2025-10-05"),
        ):
            cls._pay(moves[key], date=paid_on)
        # 40 paid early on lapsed's first invoice, not due before December.
        cls._pay(moves["lapsed", "2025-12-01"], amount=40.0, date="2026-01-10")
        # 800 paid on regular's January invoice, the rest by the credit note.
        cls._pay(moves["regular", "2026-01-15"], amount=800.0, date="2026-02-01")
        (moves["regular", "2026-01-15"] | moves["regular", "2026-02-10"]).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()

        cls.customer_b = cls._customer("Customer of B", company_id=cls.company_b.id)
        cls._invoice(cls.customer_b, 5000.0, "2026-01-10", company=cls.company_b)

        cls.user_a = cls._accountant("sh_dashboard_accountant_a", cls.company_a)
        cls.user_b = cls._accountant("sh_dashboard_accountant_b", cls.company_b)
        cls.sales_user = cls._sales_user("sh_dashboard_sales", cls.company_a)
        cls.Dashboard = cls.env["sh.customer.dashboard"].with_user(cls.user_a)

    def _by_key(self, items):
        return {item["key"]: item for item in items}

    def _names(self, domain, user=None):
        partners = self.env["res.partner"].with_user(user or self.user_a).search(domain)
        return set(partners.mapped("name"))

    def _amount(self, amount):
        return format_amount(self.env, amount, self.company_a.currency_id)
