from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sh_customers.figures import totals
from odoo.addons.sh_customers.figures.dashboard_domains import CUSTOMER_DOMAIN

from .common import ShCustomersCommon

# The customers list's domain as its search sends it: the action's domain
# and the filter Customers.
LIST_DOMAIN = [
    "&",
    "|",
    ["is_company", "=", True],
    ["parent_id", "=", False],
    ["customer_rank", ">", 0],
]
# The same customers, by a domain the totals do not recognise: the cards
# then read every matching customer's row.
EVERY_ROW_DOMAIN = CUSTOMER_DOMAIN + [("id", "!=", 0)]
FIGURES = (
    "customers",
    "active",
    "new_this_month",
    "at_risk",
    "debt",
    "overdue",
    "net_sales",
    "average_order_value",
)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCustomerTotals(ShCustomersCommon):
    """The unfiltered customers list reads the companies' totals, which
    PostgreSQL keeps up to date from every write of the customers' figures:
    they must always say what a pass over every customer's row says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.regular = cls._customer("Totals Regular", is_company=True)
        for date in ("2025-06-15", "2026-02-01", "2026-04-01", "2026-06-01"):
            cls._invoice(cls.regular, 1000.0, date, invoice_date_due="2026-07-31")
        cls._pay(cls.env["account.move"].search([("partner_id", "=", cls.regular.id)]))
        cls.newcomer = cls._customer("Totals Newcomer")
        cls._invoice(cls.newcomer, 150.0, "2026-06-02", taxes=cls.tax_15)
        cls._invoice(cls.newcomer, 250.0, "2026-06-20", invoice_date_due="2026-07-20")
        cls.lapsed = cls._customer("Totals Lapsed")
        for date in ("2025-12-01", "2025-12-11", "2025-12-21"):
            cls._invoice(cls.lapsed, 100.0, date, invoice_date_due="2026-12-31")
        cls._invoice(cls.lapsed, 40.0, "2026-01-05", move_type="out_refund")
        cls.prospect = cls._customer("Totals Prospect", customer_rank=1)
        cls.second = cls._second_company()
        cls._invoice(cls.newcomer, 80.0, "2026-06-10", company=cls.second)
        cls.accountant = cls._accountant("totals_accountant")
        cls.seller = cls._sales_user("totals_seller")
        cls.second_accountant = cls._accountant("totals_second", company=cls.second)
        # The test's companies are new: a full refresh writes every
        # customer's figures in them, as the nightly one would.
        cls.Partner._sh_refresh_customer_stats(all_customers=True)

    def _stored(self):
        """The totals as the tables hold them, by key, rounded."""
        return self._sums(
            SQL("SELECT * FROM sh_customer_total"), SQL("SELECT * FROM sh_customer_day_total")
        )

    def _recomputed(self):
        """The totals computed again from the customers' narrow rows."""
        figure = SQL.identifier("sh_customer_figure")
        return self._sums(
            totals.total_rows_sql(figure, SQL("1")), totals.day_rows_sql(figure, SQL("1"))
        )

    def _sums(self, total_rows, day_rows):
        self.env.flush_all()

        def summed(rows, keys, sums):
            return {
                row[: len(keys)]: tuple(round(value, 2) for value in row[len(keys) :])
                for row in self.env.execute_query(
                    SQL(
                        """
                        SELECT %(keys)s, %(sums)s
                          FROM (%(rows)s) AS change (%(keys)s, %(columns)s)
                         GROUP BY %(keys)s
                        """,
                        keys=SQL(", ").join(SQL.identifier(key) for key in keys),
                        sums=SQL(", ").join(
                            SQL("SUM(%s)::numeric", SQL.identifier(column)) for column in sums
                        ),
                        columns=SQL(", ").join(SQL.identifier(column) for column in sums),
                        rows=total_rows if sums[0] == "customers" else day_rows,
                    )
                )
                if any(round(value, 2) for value in row[len(keys) :])
            }

        return (
            summed(total_rows, totals.TOTAL_KEYS, ("customers", *totals.TOTAL_SUMS)),
            summed(day_rows, totals.DAY_KEYS, totals.DAY_SUMS),
        )

    def _kpis(self, user, domain, **period):
        partners = self.Partner.with_user(user).with_company(user.company_id)
        kpis = partners.sh_get_customer_kpis(domain, **period)
        return {key: kpis[key] for key in FIGURES}

    def assertTotalsHold(self, users=None, **period):
        """The tables equal the totals computed again from the narrow rows,
        and for each user the unfiltered list's cards (from the totals)
        equal those of a pass over every customer's row."""
        self.assertEqual(self._stored(), self._recomputed())
        for user in users or (self.accountant, self.seller, self.second_accountant):
            with self.subTest(user=user.login, **period):
                self.assertEqual(
                    self._kpis(user, LIST_DOMAIN, **period),
                    self._kpis(user, EVERY_ROW_DOMAIN, **period),
                )

    def test_the_list_reads_the_totals(self):
        """The unfiltered list's cards come from the totals, in as many
        queries whatever the number of customers, and say what the pass
        over every row says, for every period."""
        kpis = self._kpis(self.accountant, LIST_DOMAIN)
        # The test's customers are among the database's: what they add.
        self.assertGreaterEqual(kpis["customers"], 4)
        for period in ({}, {"period": "this_month"}, {"period": "year"}):
            self.assertTotalsHold(**period)
        self.assertTotalsHold(period="custom", date_from="2025-12-01", date_to="2026-04-01")
        # The second company's user sees its own sales: the newcomer's 80.
        second = self.Partner.with_user(self.second_accountant).with_company(self.second)
        self.assertEqual(
            second.sh_get_customer_kpis(LIST_DOMAIN, period="this_month")["net_sales"], 80.0
        )

    def test_a_new_company_counts_customers_one_by_one(self):
        """In a company made after the last full refresh, the customers
        have no figures yet: the list counts them one by one (as
        prospects) until the next full refresh, which a new company
        starts."""
        third = self._second_company(name="Totals Third")
        self.assertFalse(third.sh_figures_complete)
        user = self._accountant("totals_third", company=third)
        self.assertFalse(totals.lists_every_customer(self.env(user=user), LIST_DOMAIN))
        before = self._kpis(user, LIST_DOMAIN)
        self.assertEqual(before["active"], 0)
        self.env["res.partner"]._cron_sh_refresh_customer_stats(batch_size=100000)
        self.assertTrue(third.sh_figures_complete)
        self.assertTrue(totals.lists_every_customer(self.env(user=user), LIST_DOMAIN))
        self.assertEqual(self._kpis(user, LIST_DOMAIN), before)

    def test_recognises_the_list_and_nothing_else(self):
        env = self.env(user=self.accountant)
        for domain in (
            LIST_DOMAIN,
            CUSTOMER_DOMAIN,
            [["customer_rank", ">", 0], "|", ["parent_id", "=", False], ["is_company", "=", True]],
        ):
            self.assertTrue(totals.lists_every_customer(env, domain), domain)
        for domain in (
            EVERY_ROW_DOMAIN,
            CUSTOMER_DOMAIN + [("sh_lifecycle_status", "=", "active")],
            ["|", ("is_company", "=", True), ("parent_id", "=", False)],
            [],
        ):
            self.assertFalse(totals.lists_every_customer(env, domain), domain)
        self.assertFalse(
            totals.lists_every_customer(env(context={"active_test": False}), LIST_DOMAIN)
        )

    def test_a_rule_of_the_users_own_reads_the_rows(self):
        """A record rule that hides customers from some users makes the
        list read the rows of the customers they see."""
        group = self.env["res.groups"].create({"name": "Totals: own customers only"})
        self.seller.groups_id |= group
        self.env["ir.rule"].create(
            {
                "name": "Only the regular customer",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "groups": [Command.set(group.ids)],
                "domain_force": f"[('id', '=', {self.regular.id})]",
            }
        )
        self.assertFalse(totals.lists_every_customer(self.env(user=self.seller), LIST_DOMAIN))
        kpis = self._kpis(self.seller, LIST_DOMAIN)
        self.assertEqual((kpis["customers"], kpis["net_sales"]), (1, 3000.0))

    def test_totals_follow_every_write(self):
        """Posting, a credit note, a payment, a cancellation, archiving,
        a customer becoming a contact and back, a customer moved to another
        company, a deleted customer and a new day's refresh: after each,
        the totals equal what the rows say."""
        invoice = self._invoice(self.prospect, 500.0, "2026-06-29", taxes=self.tax_15)
        self.assertTotalsHold(period="this_month")
        self._invoice(self.regular, 120.0, "2026-06-15", move_type="out_refund")
        self._pay(invoice, amount=200.0)
        self.assertTotalsHold(period="this_month")
        invoice.button_draft()
        invoice.button_cancel()
        self.assertTotalsHold(period="this_month")

        self.lapsed.action_archive()
        self.assertTotalsHold()
        self.lapsed.action_unarchive()
        self.newcomer.parent_id = self.regular
        self.assertTotalsHold()
        self.newcomer.parent_id = False
        self.assertTotalsHold()
        # Moved to the second company: its users no longer see it.
        self.lapsed.company_id = self.second
        self.assertTotalsHold()
        self.lapsed.company_id = False

        unsold = self._customer("Totals Unsold", customer_rank=1)
        self.assertTotalsHold()
        unsold.unlink()
        self.assertTotalsHold()
        with freeze_time("2026-09-30"):
            self.Partner._sh_refresh_customer_stats(all_customers=True)
            self.assertTotalsHold()

    def test_compaction_keeps_the_totals(self):
        """The nightly compaction folds the rows of changes into one row
        per key and changes no total."""
        self._invoice(self.newcomer, 60.0, "2026-06-25")
        before = self._stored()
        self.env.flush_all()
        totals.compact(self.env.cr)
        self.assertEqual(self._stored(), before)
        [(rows, keys)] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*), COUNT(DISTINCT (%s)) FROM sh_customer_total",
                SQL(", ").join(SQL.identifier(key) for key in totals.TOTAL_KEYS),
            )
        )
        self.assertEqual(rows, keys)
        self.assertTotalsHold()

    def test_a_statement_of_many_rows_after_one_of_few(self):
        """The trigger plans its join of old and new rows for a statement
        that rewrites many customers' history (a nightly batch), even after
        the session ran it for a few rows: the totals hold after both."""
        self._invoice(self.newcomer, 60.0, "2026-06-25")
        self.assertTotalsHold()
        self.env.flush_all()
        [(rows,)] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM sh_customer_figure WHERE sale_totals <> '{}'")
        )
        self.assertGreater(rows, totals.PLANNED_FROM)
        before = self._stored()
        # Every sales history at once, doubled.
        self.env.cr.execute(
            "UPDATE sh_customer_figure"
            " SET sale_totals = ARRAY(SELECT total * 2 FROM unnest(sale_totals) total)"
            " WHERE sale_totals <> '{}'"
        )
        self.env["sh.customer.figure"].invalidate_model()
        self.assertNotEqual(self._stored(), before)
        self.assertEqual(self._stored(), self._recomputed())
