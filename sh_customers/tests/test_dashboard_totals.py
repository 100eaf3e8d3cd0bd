from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sh_customers.figures import totals
from odoo.addons.sh_customers.figures.dashboard_domains import CUSTOMER_DOMAIN

# The modules, not their classes: a test class imported here would run twice.
from . import test_dashboard, test_dashboard_charts
from .dashboard_common import ShDashboardCommon


class FromTotals:
    """The dashboard read from the companies' totals: the test company's
    customers all have figures (a full refresh wrote them, as the nightly
    one would), so a user who sees every customer gets the dashboard from
    the totals and the lighter pass over the customers."""

    # Run the inherited tests too (Odoo's loader keeps a class's own).
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"]._sh_refresh_customer_stats(all_customers=True)

    def setUp(self):
        super().setUp()
        self.assertTrue(totals.lists_every_customer(self.Dashboard.env, CUSTOMER_DOMAIN))


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboardFromTotals(FromTotals, test_dashboard.DashboardTests, ShDashboardCommon):
    """Every test of the dashboard's period, cards and lists, on the
    totals."""

    PERIODS = (
        {},
        {"period": "this_month"},
        {"period": "quarter"},
        {"period": "year"},
        {"date_from": "2024-10-15", "date_to": "2025-03-10"},
        {"date_from": "2026-06-01", "date_to": "2026-09-30"},
    )

    def test_totals_and_every_customer_agree(self):
        """Whatever the period, past or running, the whole dashboard is the
        same from the totals as from the pass over every customer (the
        pass a company without complete figures gets)."""
        company = self.env.company
        for period in self.PERIODS:
            with self.subTest(**period):
                from_totals = self.Dashboard.get_dashboard_data(**period)
                company.sh_figures_complete = False
                self.Dashboard.env.invalidate_all()
                from_every_customer = self.Dashboard.get_dashboard_data(**period)
                company.sh_figures_complete = True
                self.Dashboard.env.invalidate_all()
                self.assertEqual(from_totals, from_every_customer)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboardChartsFromTotals(
    FromTotals, test_dashboard_charts.DashboardChartsTests, ShDashboardCommon
):
    """Every test of the dashboard's charts and tables, on the totals."""
