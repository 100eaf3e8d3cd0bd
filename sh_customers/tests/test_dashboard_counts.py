from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sh_customers.figures import dashboard_counts

# The modules, not their classes: a test class imported here would run twice.
from . import test_dashboard, test_dashboard_charts
from .dashboard_common import ShDashboardCommon
from .test_dashboard_totals import FromTotals

TODAY = date(2026, 6, 30)
NAMED = ({}, {"period": "this_month"}, {"period": "quarter"}, {"period": "year"})


class FromKeptCounts(FromTotals):
    """The dashboard read from the totals and from the counts kept by the
    nightly pass: the test company's counts of the named periods are kept
    as the pass's end writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dashboard_counts.write_counts(cls.env, TODAY)

    def _kept(self, dashboard=None, **period):
        """The counts of ``period`` from the kept counts, or None."""
        dashboard = dashboard or self.Dashboard
        ctx = dashboard._sh_dashboard_context(
            period.get("date_from"), period.get("date_to"), period.get("period", "12m"), True
        )
        return dashboard_counts.kept_counts(dashboard.env, ctx)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboardFromKeptCounts(FromKeptCounts, test_dashboard.DashboardTests, ShDashboardCommon):
    """Every test of the dashboard's period, cards and lists, with the
    counts kept by the nightly pass."""

    def _pass(self, dashboard=None, **period):
        """The whole dashboard of ``period`` from the pass over every
        customer (what a company without complete figures gets)."""
        dashboard = dashboard or self.Dashboard
        company = dashboard.env.company.sudo()
        company.sh_figures_complete = False
        dashboard.env.invalidate_all()
        data = dashboard.get_dashboard_data(**period)
        company.sh_figures_complete = True
        dashboard.env.invalidate_all()
        return data

    def assertKeptAgreeWithPass(self, dashboard=None):
        for period in NAMED:
            with self.subTest(**period):
                self.assertIsNotNone(self._kept(dashboard, **period))
                self.assertEqual(
                    (dashboard or self.Dashboard).get_dashboard_data(**period),
                    self._pass(dashboard, **period),
                )

    def test_kept_counts_agree_with_the_pass(self):
        """Right after the nightly pass, each named period's whole dashboard
        is the same from the kept counts as from the pass, for a user of
        either company; another period has no kept counts."""
        self.assertKeptAgreeWithPass()
        self.assertKeptAgreeWithPass(self.env["sh.customer.dashboard"].with_user(self.user_b))
        self.assertIsNone(self._kept(date_from="2026-01-01", date_to="2026-06-30"))

    def test_counts_kept_for_the_users_today(self):
        """A user whose time zone is still on the day before gets the
        counts of the periods ending on that day."""
        self.user_b.tz = "Pacific/Honolulu"
        dashboard_counts.write_counts(self.env, TODAY)
        dashboard = self.env["sh.customer.dashboard"].with_user(self.user_b)
        self.assertEqual(dashboard.get_dashboard_data()["period"]["date_to"], "2026-06-29")
        self.assertKeptAgreeWithPass(dashboard)

    def test_changes_after_the_nightly_pass(self):
        """Documents posted, paid and cancelled, customers made, archived
        or moved to another company after the counts were kept: the
        dashboard still counts each customer as the pass does, from the
        kept counts."""
        before = self._by_key(self.Dashboard.get_dashboard_data()["cards"])
        newcomer = self._customer("Walk-in")
        self._invoice(newcomer, 700.0, "2026-06-29")
        # The churner comes back: no longer churned in the period.
        churner = self.customers["churner"]
        self._invoice(churner, 300.0, "2026-06-15")
        self._invoice(self.customers["one_timer"], 100.0, "2026-06-28").button_draft()
        lapsed_invoice = self._invoice(self.customers["lapsed"], 90.0, "2026-06-10")
        self._pay(lapsed_invoice, date="2026-06-12")
        self.customers["regular"].action_archive()
        self.env["res.partner"].flush_model()
        cards = self._by_key(self.Dashboard.get_dashboard_data()["cards"])
        # Regular (archived) no longer counts; walk-in and churner buy.
        self.assertEqual(cards["buyers"]["value"], before["buyers"]["value"] - 1 + 2)
        self.assertEqual(cards["churned"]["value"], before["churned"]["value"] - 1)
        self.assertKeptAgreeWithPass()
        # A customer moved to the other company leaves the first one's
        # dashboard and joins the other's.
        self.customers["lapsed"].company_id = self.company_b
        self.env["res.partner"].flush_model()
        self.assertKeptAgreeWithPass()
        self.assertKeptAgreeWithPass(self.env["sh.customer.dashboard"].with_user(self.user_b))

    def test_top_customers_beyond_those_kept(self):
        """The top 10 comes from the best customers kept for each group of
        customers, without the changed ones, and the changed ones as they
        are now; when those kept no longer tell the top 10 (a changed
        customer left it, and one not kept could take its place), the
        dashboard counts them with the pass."""
        for amount in range(10, 101, 10):
            self._invoice(self._customer(f"Buyer {amount}"), float(amount), "2026-06-05")
        self.env["res.partner"]._sh_refresh_customer_stats(all_customers=True)
        with patch.object(dashboard_counts, "TOP_KEPT", 11):
            dashboard_counts.write_counts(self.env, TODAY)
            self.assertKeptAgreeWithPass()
            # Newcomer buys more and moves up: still told by those kept.
            self._invoice(self.customers["newcomer"], 4000.0, "2026-06-29")
            self.assertKeptAgreeWithPass()
            tables = self._by_key(self.Dashboard.get_dashboard_data()["tables"])
            self.assertEqual(tables["top_customers"]["rows"][0]["name"], "Newcomer")
            self.customers["regular"].action_archive()
            self.env["res.partner"].flush_model()
            self.assertIsNone(self._kept())
            self.assertEqual(self.Dashboard.get_dashboard_data(), self._pass())

    def test_nightly_pass_counts_again(self):
        """The scheduled refresh's pass, once finished, writes the counts
        again and forgets the states kept before the changes they now
        count."""
        self._invoice(self.customers["churner"], 300.0, "2026-06-15")
        self.env.cr.execute("SELECT COUNT(*) FROM sh_customer_count_before")
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        self.env["res.partner"]._cron_sh_refresh_customer_stats()
        self.env.cr.execute("SELECT COUNT(*) FROM sh_customer_count_before")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertKeptAgreeWithPass()

    def test_many_customers_changed_since_the_counts(self):
        """Past a share of the customers changed since the nightly pass,
        the dashboard counts every customer with the pass instead of
        counting the changed ones twice."""
        with patch.object(dashboard_counts, "CHANGED_AT_MOST", 1):
            self._invoice(self.customers["churner"], 300.0, "2026-06-15")
            self.assertIsNotNone(self._kept())
            self._invoice(self.customers["lapsed"], 90.0, "2026-06-10")
            self.assertIsNone(self._kept())
            self.assertEqual(self.Dashboard.get_dashboard_data(), self._pass())

    def test_settings_changed_since_the_counts(self):
        """Counts kept under other settings of the company are not read:
        the dashboard counts with the longer churn period at once."""
        self.env.company.sh_churn_days += 100
        self.env.company.flush_recordset()
        self.assertIsNone(self._kept())
        self.assertEqual(self.Dashboard.get_dashboard_data(), self._pass())


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboardChartsFromKeptCounts(
    FromKeptCounts, test_dashboard_charts.DashboardChartsTests, ShDashboardCommon
):
    """Every test of the dashboard's charts and tables, with the counts
    kept by the nightly pass."""
