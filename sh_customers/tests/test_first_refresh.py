from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.sh_customers import post_init_hook
from odoo.addons.sh_customers.figures import refresh
from odoo.addons.sh_customers.figures.statements import CLV_FIELDS, STAT_FIELDS

from .common import ShCustomersCommon

CRON = "sh_customers.ir_cron_sh_refresh_customer_stats"
# What the figures' refresh writes besides the figures themselves.
PARTNER_COLUMNS = (*STAT_FIELDS, "sh_stats_digest")
# The narrow rows' columns that the refresh does not write: their own, and
# the predicted lifetime value's (written by its nightly fit).
NOT_REFRESHED = (
    *("id", "create_uid", "create_date", "write_uid", "write_date"),
    *(column for column, _fname in CLV_FIELDS),
)


def _rounded(value):
    """``value`` with its floats rounded to a millionth: the running sums of
    the sales history add the same amounts in whichever order the
    statement's plan reads them."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestFirstRefresh(ShCustomersCommon):
    """Installed on a database that already has customers and posted
    documents, the addon writes their figures in the background, a batch at
    a time, and says so in the Customers app until it has finished."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._customer("First Refresh Buyer")
        cls.debtor = cls._customer("First Refresh Debtor")
        cls.prospect = cls._customer("First Refresh Prospect")
        for date in ("2026-01-15", "2026-03-15", "2026-05-15"):
            cls._pay(cls._invoice(cls.buyer, 200.0, date, taxes=cls.tax_15))
        cls._invoice(cls.debtor, 1000.0, "2026-04-01", taxes=cls.tax_15)
        cls.customers = cls.buyer | cls.debtor | cls.prospect
        cls.Partner = cls.env["res.partner"]
        # The dashboard as an accountant using the Customers app sees it.
        cls.Dashboard = cls.env["sh.customer.dashboard"].with_user(
            cls._accountant("first_refresh_accountant")
        )

    def _commercial_partners(self):
        [(count,)] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id")
        )
        return count

    def _stored_figures(self):
        """Every customer's stored figures and sales and receivable history,
        as the database holds them."""
        self.env.flush_all()
        partners = self.env.execute_query(
            SQL(
                "SELECT id, %s FROM res_partner ORDER BY id",
                SQL(", ").join(SQL.identifier(column) for column in PARTNER_COLUMNS),
            )
        )
        table = self.env["sh.customer.figure"]._table
        [columns] = self.env.execute_query(
            SQL(
                "SELECT ARRAY_AGG(column_name::text ORDER BY column_name) "
                "FROM information_schema.columns WHERE table_name = %s",
                table,
            )
        )
        kept = [column for column in columns[0] if column not in NOT_REFRESHED]
        figures = self.env.execute_query(
            SQL(
                "SELECT %s FROM %s ORDER BY partner_id, company_id",
                SQL(", ").join(SQL.identifier(column) for column in kept),
                SQL.identifier(table),
            )
        )
        return _rounded(partners), _rounded(figures)

    def _as_just_installed(self):
        """Forget every customer's figures, as on a database where the addon
        has just been installed: no figure, no history, no RFM cut-off."""
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE res_partner SET %s",
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(column)) for column in PARTNER_COLUMNS
                ),
            )
        )
        self.env.execute_query(
            SQL("DELETE FROM %s", SQL.identifier(self.env["sh.customer.figure"]._table))
        )
        self.env["res.company"].search([]).sh_rfm_breakpoints = False
        self.env.invalidate_all()

    def _run_cron(self, batch_size):
        """Run the refresh as Odoo's scheduler does: one batch per call,
        each reporting its progress, until it reports nothing remaining.
        Returns the notices the Customers list showed after each batch."""
        cron = self.env.ref(CRON)
        notices = []
        for _batch in range(1000):
            progress = self.env["ir.cron.progress"].create(
                {"cron_id": cron.id, "remaining": 0, "done": 0}
            )
            self.Partner.with_context(
                ir_cron_progress_id=progress.id
            )._cron_sh_refresh_customer_stats(batch_size=batch_size)
            notices.append(self.Partner.sh_get_customer_kpis([])["first_refresh"])
            self.env.invalidate_all()
            if not progress.remaining:
                return notices
        self.fail("The refresh never reported that it had finished.")

    def test_install_marks_and_triggers_instead_of_refreshing(self):
        refresh.compute_rfm_breakpoints(self.env)
        refresh.refresh_customer_figures(self.Partner, all_customers=True)
        expected = self._stored_figures()
        self._as_just_installed()
        total = self._commercial_partners()
        cron = self.env.ref(CRON)
        triggers_before = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])

        # The addon's hook, on a database with more customers than it
        # refreshes itself.
        with patch.object(refresh, "FIRST_REFRESH_INLINE_LIMIT", 0):
            post_init_hook(self.env)

        # Nobody's figures were computed by the installation...
        self.assertEqual(self.buyer.sh_net_sales, 0.0)
        self.assertEqual(self.buyer.sh_invoice_count, 0)
        # (a customer without figures reads as a Prospect, the default)
        self.assertEqual(self.buyer.sh_lifecycle_status, "prospect")
        self.assertFalse(self.debtor.sh_debt)
        self.assertFalse(
            self.env["sh.customer.figure"].search([("partner_id", "in", self.customers.ids)])
        )
        # ... the scheduled refresh is asked to run now...
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers_before
        self.assertEqual(len(triggers), 1)
        self.assertEqual(str(triggers.call_at), "2026-06-30 00:00:00")
        # ... and the Customers app says the figures are being computed.
        self.assertEqual(refresh.first_refresh_progress(self.env), {"done": 0, "total": total})
        kpis = self.Partner.sh_get_customer_kpis([])
        self.assertEqual(kpis["first_refresh"]["done"], 0)
        self.assertEqual(kpis["first_refresh"]["total"], total)
        self.assertEqual(
            kpis["first_refresh"]["message"],
            f"Figures are being computed: 0 of {total:,} customers done. "
            "Until then, some customers show no purchases or debt.",
        )
        dashboard = self.Dashboard.get_dashboard_data()
        self.assertEqual(dashboard["first_refresh"], kpis["first_refresh"])
        self.assertTrue(all(self.customers.mapped("sh_figures_pending")))

        # The scheduled refresh, a few customers at a time: each batch
        # moves the notice on, the last one takes it away.
        batch_size = total // 3 + 1
        notices = self._run_cron(batch_size)
        self.assertEqual(len(notices), 3)
        self.assertEqual(
            [(notice["done"], notice["total"]) for notice in notices[:-1]],
            [(batch_size, total), (2 * batch_size, total)],
        )
        self.assertIn(f"{batch_size:,} of {total:,} customers done", notices[0]["message"])
        self.assertIsNone(notices[-1])
        self.assertIsNone(refresh.first_refresh_progress(self.env))
        self.assertIsNone(self.Dashboard.get_dashboard_data()["first_refresh"])
        self.assertFalse(any(self.customers.mapped("sh_figures_pending")))

        # The same figures and history as a full refresh, to the cent.
        self.assertEqual(self._stored_figures(), expected)
        self.assertEqual(self.buyer.sh_net_sales, 600.0)
        self.assertEqual(self.buyer.sh_invoice_count, 3)
        self.assertEqual(self.debtor.sh_debt, 1150.0)
        self.assertEqual(self.prospect.sh_lifecycle_status, "prospect")

        # A later nightly refresh says nothing more.
        self.assertEqual(self._run_cron(batch_size), [None, None, None])

    def test_customers_refreshed_in_id_order_are_no_longer_pending(self):
        self._as_just_installed()
        refresh.start_first_refresh(self.env, inline_limit=0)
        # A batch that stops between the buyer and the debtor (created
        # after it): the buyer's figures are there, the debtor's not yet.
        [(before_debtor,)] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id AND id < %s",
                self.debtor.id,
            )
        )
        cron = self.env.ref(CRON)
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        self.Partner.with_context(ir_cron_progress_id=progress.id)._cron_sh_refresh_customer_stats(
            batch_size=before_debtor
        )
        self.env.invalidate_all()
        self.assertEqual(progress.done, before_debtor)
        self.assertEqual(progress.remaining, self._commercial_partners() - before_debtor)
        self.assertEqual(self.buyer.sh_net_sales, 600.0)
        self.assertFalse(self.buyer.sh_figures_pending)
        self.assertFalse(self.debtor.sh_debt)
        self.assertTrue(self.debtor.sh_figures_pending)

    def test_few_customers_are_refreshed_by_the_install_itself(self):
        self._as_just_installed()
        cron = self.env.ref(CRON)
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        refresh.start_first_refresh(self.env, inline_limit=self._commercial_partners())
        self.assertEqual(self.buyer.sh_net_sales, 600.0)
        self.assertEqual(self.debtor.sh_debt, 1150.0)
        self.assertEqual(self.prospect.sh_lifecycle_status, "prospect")
        self.assertIsNone(refresh.first_refresh_progress(self.env))
        self.assertIsNone(self.Partner.sh_get_customer_kpis([])["first_refresh"])
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers_before,
        )

    def test_notice_in_arabic(self):
        self._as_just_installed()
        refresh.start_first_refresh(self.env, inline_limit=0)
        self.env["res.lang"]._activate_lang("ar_001")
        notice = self.Partner.with_context(lang="ar_001").sh_get_customer_kpis([])["first_refresh"]
        self.assertIn("يجري حساب الأرقام", notice["message"])


@tagged("post_install", "-at_install")
class TestFirstRefreshUi(HttpCase):
    """The notice in a browser, above the customers list's KPI cards and
    above the dashboard (tour ``sh_customers_first_refresh_tour``)."""

    def test_notice_above_the_cards_and_the_dashboard(self):
        refresh.start_first_refresh(self.env, inline_limit=0)
        for url in (
            "/odoo/action-sh_customers.res_partner_action_sh_customers",
            "/odoo/action-sh_customers.sh_customer_dashboard_action",
        ):
            with self.subTest(url=url):
                self.start_tour(url, "sh_customers_first_refresh_tour", login="admin")
