from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..figures import statements
from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestCustomerDebt(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company()
        cls.company_2 = cls.company_data_2["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.other_currency = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])

    def _sell_across_currencies_and_companies(self, customer):
        """An invoice partly paid and partly credited, one in another
        currency, and one of the second company; returns the first two."""
        # 1000 + 15% VAT = 1150, due the same day (2026-01-10).
        invoice = self._invoice(customer, 1000.0, "2026-01-10", taxes=self.tax_15)
        # 400 in EUR at 2 EUR per company unit: 200 company currency, due 2026-04-10.
        foreign = self._invoice(
            customer,
            400.0,
            "2026-03-10",
            currency_id=self.other_currency.id,
            invoice_date_due="2026-04-10",
        )
        self._pay(invoice, amount=300.0, date="2026-02-01")
        self._invoice(
            customer,
            200.0,
            "2026-02-15",
            move_type="out_refund",
            taxes=self.tax_15,
            reversed_entry_id=invoice.id,
        )
        # Another company sells 500 to the same customer, unpaid.
        self._invoice(customer, 500.0, "2026-03-01", company=self.company_2)
        return invoice, foreign

    @freeze_time("2026-03-15")
    def test_receivable_history_answers_any_day(self):
        """The dashboard reads the receivable on a day and a period's credit
        sales from each customer's receivable history: for any day it gives
        what the receivable items add up to, per company, across payments,
        credit notes and currencies."""
        customer = self._customer("Kirkuk Motors", is_company=True)
        self._sell_across_currencies_and_companies(customer)
        Figure = self.env["sh.customer.figure"]
        alias = "sh_customer_figure"

        def from_history(company, day, first):
            end = Figure._sh_position(alias, day, "receivable_dates")
            start = Figure._sh_position(alias, SQL("(%s::date - 1)", first), "receivable_dates")
            [row] = self.env.execute_query(
                SQL(
                    "SELECT %s, %s FROM sh_customer_figure"
                    " WHERE partner_id = %s AND company_id = %s",
                    Figure._sh_receivable_until(alias, end),
                    Figure._sh_credit_sales_between(alias, start, end),
                    customer.id,
                    company.id,
                )
            )
            return round(row[0], 2), round(row[1], 2)

        def from_items(company, day, first):
            items = self.env["account.move.line"].search(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("date", "<=", day),
                ]
            )
            sales = items.filtered(
                lambda item: (
                    item.journal_id.type == "sale" and item.date >= fields.Date.to_date(first)
                )
            )
            return round(sum(items.mapped("balance")), 2), round(sum(sales.mapped("balance")), 2)

        for company in (self.env.company, self.company_2):
            for day, first in (
                ("2026-01-09", "2026-01-01"),
                ("2026-01-10", "2026-01-10"),
                ("2026-02-01", "2026-01-11"),
                ("2026-02-28", "2026-02-01"),
                ("2026-03-15", "2026-01-01"),
            ):
                with self.subTest(company=company.name, day=day):
                    self.assertEqual(
                        from_history(company, day, first), from_items(company, day, first)
                    )
        # 1150 + 200 (EUR at 2) - 300 - 230 = 820, all of it credit sales but
        # the payment: 1150 + 200 - 230.
        self.assertEqual(
            from_history(self.env.company, "2026-03-15", "2026-01-01"), (820.0, 1120.0)
        )

    @freeze_time("2026-03-15")
    def test_debt_agrees_with_credit_across_payments_refunds_currencies_companies(self):
        customer = self._customer("Al Noor Workshop", sh_customer_type="workshop")
        invoice, foreign = self._sell_across_currencies_and_companies(customer)
        # Posting a credit note of an invoice settles that invoice with it.
        self.assertEqual(invoice.amount_residual, 620.0)

        # 1150 - 300 - 230 = 620 overdue, plus 200 not due.
        self.assertEqual(customer.sh_debt, 820.0)
        self.assertEqual(customer.sh_debt, self._credit(customer))
        self.assertEqual(customer.sh_overdue, 620.0)
        self.assertEqual(customer.sh_debt_61_90, 620.0)
        self.assertEqual(customer.sh_debt_not_due, 200.0)
        self.assertEqual(customer.sh_oldest_overdue_days, 64)
        Partner = self.env["res.partner"]
        self.assertIn(customer, Partner.search([("sh_oldest_overdue_days", ">=", 64)]))
        self.assertNotIn(customer, Partner.search([("sh_oldest_overdue_days", ">", 64)]))
        self.assertIn(customer, Partner.search([("sh_oldest_overdue_days", "=", 64)]))
        # The second company's invoice was due on 2026-03-01.
        self.assertEqual(customer.with_company(self.company_2).sh_oldest_overdue_days, 14)
        self.assertEqual(
            customer.sh_debt_not_due
            + customer.sh_debt_1_30
            + customer.sh_debt_31_60
            + customer.sh_debt_61_90
            + customer.sh_debt_91_120
            + customer.sh_debt_over_120,
            customer.sh_debt,
        )
        # Untaxed, company currency, net of the credit note: 1000 + 200 - 200.
        self.assertEqual(customer.sh_net_sales, 1000.0)
        self.assertEqual(customer.sh_invoice_count, 2)
        self.assertEqual(customer.sh_average_order_value, 500.0)

        in_company_2 = customer.with_company(self.company_2)
        self.assertEqual(in_company_2.sh_debt, 500.0)
        self.assertEqual(in_company_2.sh_debt, self._credit(customer, self.company_2))
        self.assertEqual(in_company_2.sh_net_sales, 500.0)
        self.assertEqual(in_company_2.sh_invoice_count, 1)

        # Paying the rest in full clears the debt in the first company only.
        self._pay(foreign)
        self._pay(invoice)
        self.assertEqual(customer.sh_debt, 0.0)
        self.assertEqual(customer.sh_debt, self._credit(customer))
        self.assertFalse(customer.sh_overdue)
        self.assertEqual(customer.with_company(self.company_2).sh_debt, 500.0)

    @freeze_time("2026-03-15")
    def test_unallocated_payment_lowers_debt_like_credit(self):
        customer = self._customer("Fleet Co", sh_customer_type="fleet")
        self._invoice(customer, 1000.0, "2026-03-01")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": customer.id,
                "amount": 250.0,
                "date": "2026-03-05",
            }
        )
        payment.action_post()
        self.assertEqual(customer.sh_debt, 750.0)
        self.assertEqual(customer.sh_debt, self._credit(customer))

    @freeze_time("2026-03-15")
    def test_credit_limit_gives_available_credit_and_flag(self):
        customer = self._customer("Corner Garage")
        self._invoice(customer, 1000.0, "2026-03-01")
        customer.credit_limit = 1500.0
        self.assertEqual(customer.sh_available_credit, 500.0)
        self.assertFalse(customer.sh_over_credit_limit)
        self._invoice(customer, 800.0, "2026-03-02")
        self.assertEqual(customer.sh_available_credit, -300.0)
        self.assertTrue(customer.sh_over_credit_limit)
        self.assertTrue(customer.sh_credit_usage > 100)


@tagged("post_install", "-at_install")
class TestCustomerPurchases(ShCustomersCommon):
    @freeze_time("2026-05-20")
    def test_figures_follow_post_reset_cancel_and_refund(self):
        customer = self._customer("Baghdad Auto Parts")
        first = self._invoice(customer, 300.0, "2026-01-05")
        second = self._invoice(customer, 500.0, "2026-04-05")
        self.assertEqual(customer.sh_invoice_count, 2)
        self.assertEqual(customer.sh_net_sales, 800.0)
        self.assertEqual(customer.sh_first_purchase_date, fields.Date.to_date("2026-01-05"))
        self.assertEqual(customer.sh_last_purchase_date, fields.Date.to_date("2026-04-05"))
        self.assertEqual(customer.sh_purchase_gap_days, 90.0)
        self.assertEqual(customer.sh_days_since_purchase, 45)
        prospect = self._customer("Basra Fleet Services")
        ids = (customer | prospect).ids
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("sh_days_since_purchase", ">=", 45), ("id", "in", ids)]),
            customer,
        )
        self.assertFalse(Partner.search([("sh_days_since_purchase", ">", 45), ("id", "in", ids)]))
        # A customer with no purchase counts 0 days.
        self.assertEqual(
            Partner.search([("sh_days_since_purchase", "<", 10), ("id", "in", ids)]),
            prospect,
        )
        with self.assertRaisesRegex(UserError, "whole number of days"):
            Partner.search([("sh_days_since_purchase", ">", "soon")])

        second.button_draft()
        self.assertEqual(customer.sh_invoice_count, 1)
        self.assertEqual(customer.sh_net_sales, 300.0)
        self.assertEqual(customer.sh_last_purchase_date, fields.Date.to_date("2026-01-05"))
        self.assertFalse(customer.sh_purchase_gap_days)

        second.button_cancel()
        self.assertEqual(customer.sh_invoice_count, 1)
        self.assertEqual(customer.sh_net_sales, 300.0)

        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=first.ids)
            .create({"journal_id": first.journal_id.id, "date": "2026-05-01"})
        )
        reversal.refund_moves()
        refund = first.reversal_move_ids
        refund.invoice_line_ids.price_unit = 120.0
        refund.action_post()
        self.assertEqual(customer.sh_invoice_count, 1)
        self.assertEqual(customer.sh_net_sales, 180.0)

        refund.button_draft()
        self.assertEqual(customer.sh_net_sales, 300.0)

    def test_sales_history_answers_any_period(self):
        """The KPI cards and the dashboard read a period's sales from each
        customer's sales history: for any period it gives what the posted
        documents of that period add up to, and it follows a reset to
        draft and a credit note."""
        customer = self._customer("Mosul Spare Parts", is_company=True)
        contact = self._customer("Omar", parent_id=customer.id)
        self._invoice(customer, 210.55, "2025-12-30")
        # Two documents on the same day, one through a contact.
        self._invoice(customer, 99.99, "2026-01-15")
        self._invoice(contact, 40.01, "2026-01-15")
        draft_again = self._invoice(customer, 700.0, "2026-02-01")
        self._invoice(customer, 25.0, "2026-03-31", move_type="out_refund")
        self._invoice(customer, 300.0, "2026-04-01")
        draft_again.button_draft()
        Figure = self.env["sh.customer.figure"]

        def from_history(first, last):
            alias = "sh_customer_figure"
            start = Figure._sh_position(alias, SQL("(%s::date - 1)", first))
            end = Figure._sh_position(alias, last)
            [row] = self.env.execute_query(
                SQL(
                    "SELECT %s, %s, %s FROM sh_customer_figure WHERE partner_id = %s"
                    " AND company_id = %s",
                    Figure._sh_sales_between(alias, start, end),
                    Figure._sh_invoices_between(alias, start, end),
                    Figure._sh_last_invoice_until(alias, end),
                    customer.id,
                    self.env.company.id,
                )
            )
            return round(row[0], 2), row[1], row[2]

        def from_documents(first, last):
            moves = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", "<=", last),
                ]
            )
            period = moves.filtered(lambda move: move.invoice_date >= fields.Date.to_date(first))
            invoices = moves.filtered(lambda move: move.move_type == "out_invoice")
            return (
                round(sum(period.mapped("amount_untaxed_signed")), 2),
                len(period.filtered(lambda move: move.move_type == "out_invoice")),
                max(invoices.mapped("invoice_date"), default=None),
            )

        periods = [
            ("2025-01-01", "2025-12-29"),  # before the first purchase
            ("2025-12-30", "2025-12-30"),  # one day
            ("2026-01-15", "2026-01-15"),  # two documents that day
            ("2025-12-31", "2026-01-14"),  # between two purchases
            ("2026-02-01", "2026-03-31"),  # the document set back to draft, a credit note
            ("2026-03-31", "2026-04-01"),
            ("2025-01-01", "2026-12-31"),  # everything
        ]
        for first, last in periods:
            with self.subTest(first=first, last=last):
                self.assertEqual(from_history(first, last), from_documents(first, last))
        self.assertEqual(
            from_history("2026-01-01", "2026-12-31"),
            (415.0, 3, fields.Date.to_date("2026-04-01")),
        )

    def test_contacts_count_for_their_company(self):
        company = self._customer("Gulf Fleet", is_company=True)
        buyer = self._customer("Buyer", parent_id=company.id)
        self._invoice(buyer, 250.0, "2026-02-01")
        self.assertEqual(company.sh_net_sales, 250.0)
        self.assertEqual(company.sh_debt, 250.0)
        self.assertFalse(buyer.sh_customer_code)
        self.assertTrue(company.sh_customer_code)

    def test_payment_history_leaves_out_cancelled_payments(self):
        customer = self._customer("Al Noor Workshop", is_company=True)
        invoice = self._invoice(customer, 300.0, "2026-02-01")
        kept = self._pay(invoice, amount=100.0, date="2026-02-10")
        cancelled = self._pay(invoice, amount=50.0, date="2026-02-11")
        cancelled.action_draft()
        cancelled.action_cancel()
        self.assertEqual(customer.sh_payment_ids, kept)
        self.assertEqual(customer.sh_debt, 200.0)

    def test_whatsapp_link_is_international(self):
        saudi = self.env.ref("base.sa")
        customer = self._customer("Saad", mobile="055 123 4567", country_id=saudi.id)
        self.assertEqual(customer.sh_whatsapp_url, "https://wa.me/966551234567")
        customer.mobile = "+20 10 1234 5678"
        self.assertEqual(customer.sh_whatsapp_url, "https://wa.me/201012345678")
        customer.write({"mobile": False, "phone": False})
        self.assertFalse(customer.sh_whatsapp_url)


@tagged("post_install", "-at_install")
class TestCustomerSegments(ShCustomersCommon):
    """Few customers: the fixed score thresholds apply (R: 30/90/180/365
    days, F: 1/2/4/9 invoices, M: 500/2000/5000/20000)."""

    @classmethod
    def _history(cls, name, dates, amount=100.0):
        customer = cls._customer(name)
        moves = cls.env["account.move"]
        for date in dates:
            moves |= cls._invoice(customer, amount, date, post=False)
        moves.action_post()
        return customer

    @freeze_time("2026-06-30")
    def test_segments_and_status_on_constructed_histories(self):
        today = fields.Date.to_date("2026-06-30")

        def days_ago(*days):
            return [fields.Date.subtract(today, days=d) for d in days]

        champion = self._history("Champion", days_ago(*range(10, 310, 30)), amount=3000.0)
        newcomer = self._history("Newcomer", days_ago(20))
        lapsed = self._history("Lapsed", days_ago(*range(100, 210, 10)))
        sleeper = self._history("Sleeper", days_ago(*range(200, 320, 10)))
        lost = self._history("Lost", days_ago(400))
        prospect = self._customer("Prospect")

        self.assertEqual(
            (champion.sh_rfm_r_score, champion.sh_rfm_f_score, champion.sh_rfm_m_score),
            (5, 5, 5),
        )
        self.assertEqual(champion.sh_rfm_segment, "champions")
        self.assertEqual(champion.sh_lifecycle_status, "active")

        self.assertEqual(newcomer.sh_rfm_segment, "new")
        self.assertEqual(newcomer.sh_lifecycle_status, "new")

        # 100 days since the last purchase, usually every 10 days: at risk.
        self.assertEqual((lapsed.sh_rfm_r_score, lapsed.sh_rfm_f_score), (3, 5))
        self.assertEqual(lapsed.sh_rfm_segment, "loyal")
        self.assertEqual(lapsed.sh_lifecycle_status, "at_risk")

        self.assertEqual((sleeper.sh_rfm_r_score, sleeper.sh_rfm_f_score), (2, 5))
        self.assertEqual(sleeper.sh_rfm_segment, "cant_lose")

        self.assertEqual(lost.sh_rfm_r_score, 1)
        self.assertEqual(lost.sh_rfm_segment, "lost")
        self.assertEqual(lost.sh_lifecycle_status, "churned")

        self.assertEqual(prospect.sh_rfm_segment, "prospect")
        self.assertEqual(prospect.sh_lifecycle_status, "prospect")

        # Time passes: the daily refresh moves the newcomer on.
        with freeze_time("2026-10-15"):
            self.env["res.partner"]._cron_sh_refresh_customer_stats()
            # One purchase gives no usual gap: active until churned.
            self.assertEqual(newcomer.sh_lifecycle_status, "active")
            self.assertEqual(newcomer.sh_rfm_segment, "about_to_sleep")
        with freeze_time("2027-07-15"):
            self.env["res.partner"]._cron_sh_refresh_customer_stats()
            self.assertEqual(newcomer.sh_lifecycle_status, "churned")

    @freeze_time("2026-06-30")
    def test_status_thresholds_follow_company_settings(self):
        customer = self._history("Occasional", ["2026-01-10", "2026-02-10"])
        self.assertEqual(customer.sh_lifecycle_status, "at_risk")
        self.env.company.sh_at_risk_gap_factor = 6.0
        self.env.company.sh_churn_days = 120
        customer._sh_refresh_customer_stats()
        self.assertEqual(customer.sh_lifecycle_status, "churned")

    @freeze_time("2026-06-30")
    def test_quintiles_when_enough_customers(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {index:02}"} for index in range(60)]
        )
        moves = self.env["account.move"]
        for index, partner in enumerate(partners):
            moves |= self._invoice(partner, 100.0 * (index + 1), "2026-06-01", post=False)
        moves.action_post()
        self.env["res.partner"]._cron_sh_refresh_customer_stats()
        breakpoints = self.env.company.sh_rfm_breakpoints
        self.assertEqual(breakpoints["method"], "quintiles")
        self.assertEqual(breakpoints["m"], [1200.0, 2400.0, 3600.0, 4800.0])
        scores = partners.mapped("sh_rfm_m_score")
        self.assertEqual([scores.count(score) for score in range(1, 6)], [12] * 5)
        self.assertEqual(partners[-1].sh_rfm_m_score, 5)
        self.assertEqual(partners[0].sh_rfm_m_score, 1)

        # A new sale is scored against the same cut-offs right away.
        self._invoice(partners[0], 5000.0, "2026-06-20")
        self.assertEqual(partners[0].sh_rfm_m_score, 5)

    @freeze_time("2026-06-30")
    def test_top_customers_filter(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Buyer {index:02}"} for index in range(20)]
        )
        moves = self.env["account.move"]
        for index, partner in enumerate(partners):
            moves |= self._invoice(partner, 10.0 * (index + 1), "2026-06-01", post=False)
        moves.action_post()
        top = self.env["res.partner"].search(
            [("id", "in", partners.ids), ("sh_is_top_customer", "=", True)]
        )
        self.assertEqual(top, partners[-2:])
        self.assertTrue(partners[-1].sh_is_top_customer)
        self.assertFalse(partners[0].sh_is_top_customer)


@tagged("post_install", "-at_install")
class TestCustomerRefreshCron(ShCustomersCommon):
    def test_cron_refreshes_in_batches_and_reports_progress(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {index}"} for index in range(3)]
        )
        self._invoice(partners[0], 100.0, "2026-01-01")
        # Wipe the stored figures and their fingerprint, as if they were stale.
        self.env.cr.execute(
            "UPDATE res_partner SET sh_net_sales = NULL, sh_invoice_count = NULL, "
            "sh_stats_digest = NULL WHERE id = ANY(%s)",
            [partners.ids],
        )
        partners.invalidate_recordset()
        self.assertFalse(partners[0].sh_net_sales)

        cron = self.env.ref("sh_customers.ir_cron_sh_refresh_customer_stats")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Partner = self.env["res.partner"].with_context(ir_cron_progress_id=progress.id)
        params = self.env["ir.config_parameter"].sudo()
        for rounds in range(1, 1000):  # noqa: B007
            Partner._cron_sh_refresh_customer_stats(batch_size=2)
            if not int(params.get_param("sh_customers.stats_refresh_cursor", 0)):
                break
        self.assertGreater(rounds, 1)
        self.assertEqual(progress.remaining, 0)
        self.assertEqual(partners[0].sh_net_sales, 100.0)
        self.assertEqual(partners[0].sh_invoice_count, 1)
        self.assertEqual(partners[1].sh_lifecycle_status, "prospect")

    @freeze_time("2026-05-20")
    def test_refresh_writes_only_customers_whose_figures_changed(self):
        buyer = self._customer("Erbil Motors")
        prospect = self._customer("Najaf Tyres")
        self._invoice(buyer, 100.0, "2026-05-01")
        both = buyer | prospect
        self.assertFalse(both._sh_refresh_customer_stats())
        # A new day moves the day counts, which follow from stored dates.
        self.assertFalse(both._sh_refresh_customer_stats(today=fields.Date.to_date("2026-05-21")))
        # 31 days after the purchase the recency score drops: only the buyer changes.
        self.assertEqual(
            both._sh_refresh_customer_stats(today=fields.Date.to_date("2026-06-01")), buyer
        )
        self.assertEqual(buyer.sh_rfm_r_score, 4)
        self.assertEqual(prospect.sh_lifecycle_status, "prospect")

    @freeze_time("2026-05-20")
    def test_history_is_rebuilt_when_documents_change(self):
        """A new day that changes a customer's scores leaves its sales and
        receivable history as they are; an invoice or a payment rebuilds
        them from the documents."""
        buyer = self._customer("Basra Spares")
        invoice = self._invoice(buyer, 100.0, "2026-05-01", taxes=self.tax_15)

        def history():
            [row] = self.env.execute_query(
                SQL(
                    "SELECT sale_dates, sale_totals, receivable_dates, receivable_totals"
                    " FROM sh_customer_figure WHERE partner_id = %s AND company_id = %s",
                    buyer.id,
                    self.env.company.id,
                )
            )
            return [[str(value) for value in column] for column in row]

        may_first = [["2026-05-01"], ["100.0"], ["2026-05-01"], ["115.0"]]
        self.assertEqual(history(), may_first)
        # Mark the stored history: a rebuild would replace the mark.
        self.env.cr.execute(
            "UPDATE sh_customer_figure SET sale_totals = '{-1}' WHERE partner_id = %s",
            [buyer.id],
        )
        self.assertEqual(
            buyer._sh_refresh_customer_stats(today=fields.Date.to_date("2026-06-01")), buyer
        )
        self.assertEqual(buyer.sh_rfm_r_score, 4)
        self.assertEqual(history()[1], ["-1.0"])
        self._pay(invoice, amount=15.0, date="2026-05-25")
        self.assertEqual(
            history(),
            [["2026-05-01"], ["100.0"], ["2026-05-01", "2026-05-25"], ["115.0", "100.0"]],
        )
        self._invoice(buyer, 50.0, "2026-05-20")
        self.assertEqual(history()[:2], [["2026-05-01", "2026-05-20"], ["100.0", "150.0"]])

    def test_full_refresh_runs_as_an_analytic_statement(self):
        """Refreshing every customer is planned for every customer (not for
        the 0.5% PostgreSQL guesses for "id = commercial_partner_id"), runs
        without JIT compilation and with more memory, and leaves the
        transaction's settings as they were."""
        Partner = self.env["res.partner"]
        self.env.cr.execute("ANALYZE res_partner")
        [(commercial,)] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id")
        )
        [(plan,)] = self.env.execute_query(
            SQL("EXPLAIN (FORMAT JSON) %s", statements.target_sql(None))
        )
        self.assertGreater(plan[0]["Plan"]["Plan Rows"], commercial / 2)

        settings = SQL("SELECT current_setting('jit'), current_setting('work_mem')")
        [before] = self.env.execute_query(settings)
        during = []
        execute_query = type(self.env).execute_query

        def spy(env, query):
            if "UPDATE res_partner" in query.code:
                during.extend(execute_query(env, settings))
            return execute_query(env, query)

        customer = self._customer("Karbala Brakes")
        with patch.object(type(self.env), "execute_query", spy):
            Partner._sh_refresh_customer_stats(all_customers=True)
            # One customer's refresh (a posting's) keeps the settings.
            customer._sh_refresh_customer_stats()
        self.assertEqual(during, [("off", statements.ANALYTIC_WORK_MEM), before])
        [after] = self.env.execute_query(settings)
        self.assertEqual(after, before)

    def test_settings_refuse_nonsense(self):
        company = self.env.company
        with (
            self.assertRaisesRegex(ValidationError, "churn period must be longer"),
            self.cr.savepoint(),
        ):
            company.write({"sh_churn_days": 30})
        with self.assertRaisesRegex(ValidationError, "at least one month"), self.cr.savepoint():
            company.write({"sh_rfm_window_months": 0})
        company.invalidate_recordset()
        self.assertEqual(company.sh_churn_days, 365)
        self.assertEqual(company.sh_rfm_window_months, 24)
