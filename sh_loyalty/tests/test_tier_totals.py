from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sh_customers.figures import totals
from odoo.addons.sh_customers.tests.test_customer_totals import EVERY_ROW_DOMAIN, LIST_DOMAIN

from ..figures import plans, tier_totals
from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestTierTotals(ShLoyaltyCommon):
    """The unfiltered customers list and the dashboard read the customers
    per tier that PostgreSQL keeps up to date from every write of the
    partners: they must always say what counting every customer's tier
    says, for every user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.gold_customer = cls._customer("Tiers Gold", is_company=True)
        cls._invoice(cls.gold_customer, 6000.0, "2026-06-01")
        cls.silver_customer = cls._customer("Tiers Silver")
        cls._invoice(cls.silver_customer, 1500.0, "2026-06-02")
        cls.bronze_customer = cls._customer("Tiers Bronze")
        cls._invoice(cls.bronze_customer, 200.0, "2026-06-03")
        cls.prospect = cls._customer("Tiers Prospect", customer_rank=1)
        cls.second = cls._second_company()
        cls.second_program = cls._program(cls.second)
        cls._invoice(cls.silver_customer, 12000.0, "2026-06-10", company=cls.second)
        cls.accountant = cls._accountant("tiers_accountant")
        cls.seller = cls._sales_user("tiers_seller")
        cls.second_accountant = cls._accountant("tiers_second", company=cls.second)
        # The test's companies are new: a full refresh writes every
        # customer's figures in them, as the nightly one would.
        cls.Partner._sh_refresh_customer_stats(all_customers=True)

    def _stored(self):
        """The customers per tier as the table holds them, by key."""
        self.env.flush_all()
        return self._summed(SQL("SELECT * FROM sh_loyalty_tier_total"))

    def _recounted(self):
        """The customers per tier counted again from the partners."""
        self.env.flush_all()
        return self._summed(tier_totals.share_sql("res_partner", "1"))

    def _summed(self, rows):
        return {
            row[:4]: row[4]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT company_id, partner_company_id, partner_share, tier_id,
                           SUM(customers)
                      FROM (%s) AS share (company_id, partner_company_id, partner_share,
                                          tier_id, customers)
                     GROUP BY 1, 2, 3, 4
                    HAVING SUM(customers) <> 0
                    """,
                    rows,
                )
            )
        }

    def _tiers(self, user, domain):
        partners = self.Partner.with_user(user).with_company(user.company_id)
        kpis = partners.sh_get_customer_kpis(domain)
        return [(tier["name"], tier["count"]) for tier in kpis["loyalty_tiers"]]

    def _chart(self, user):
        dashboard = self.env["sh.customer.dashboard"].with_user(user).with_company(user.company_id)
        charts = dashboard.get_dashboard_data()["charts"]
        chart = next(chart for chart in charts if chart["key"] == "loyalty_tiers")
        return list(zip(chart["labels"], chart["datasets"][0]["data"], strict=True))

    def assertTiersHold(self):
        """The table equals the customers per tier counted again, and for
        each user the unfiltered list's tier card and the dashboard's chart
        (both from the table) equal a count over every customer's tier."""
        self.assertEqual(self._stored(), self._recounted())
        for user in (self.accountant, self.seller, self.second_accountant):
            with self.subTest(user=user.login):
                self.assertTrue(totals.lists_every_customer(self.env(user=user), LIST_DOMAIN))
                counted = self._tiers(user, EVERY_ROW_DOMAIN)
                self.assertEqual(self._tiers(user, LIST_DOMAIN), counted)
                self.assertEqual(self._chart(user), counted)

    def test_the_list_and_the_dashboard_read_the_kept_tiers(self):
        before = dict(self._tiers(self.accountant, LIST_DOMAIN))
        self.assertTiersHold()
        # What the test's customers add to each tier, in each company.
        rows = self.env["res.partner"].browse(
            (self.gold_customer | self.silver_customer | self.bronze_customer).ids
        )
        self.assertEqual(
            [partner.sh_loyalty_tier_id for partner in rows],
            [self.gold, self.silver, self.bronze],
        )
        second = self.second_program._sh_active_tiers()
        self.assertEqual(
            self.silver_customer.with_company(self.second).sh_loyalty_tier_id, second[-1]
        )
        # The table is what the list reads: a row of changes shows at once.
        self.env.execute_query(
            SQL(
                "INSERT INTO sh_loyalty_tier_total VALUES (%s, NULL, FALSE, %s, 5)",
                self.env.company.id,
                self.platinum.id,
            )
        )
        after = dict(self._tiers(self.accountant, LIST_DOMAIN))
        self.assertEqual(after["Platinum"], before["Platinum"] + 5)
        self.assertEqual(after["Gold"], before["Gold"])
        # The daily pass counts them again.
        self.env["loyalty.card"]._cron_sh_loyalty_daily()
        self.assertEqual(dict(self._tiers(self.accountant, LIST_DOMAIN)), before)
        self.assertTiersHold()

    def test_tiers_follow_every_write(self):
        """A sale that moves a tier up, the review moving one down,
        archiving, a customer becoming a contact and back, a customer
        moved to another company, a deleted customer: after each, the
        counts equal what the partners say."""
        self._invoice(self.bronze_customer, 1000.0, "2026-06-29")
        self.assertEqual(self._card(self.bronze_customer).sh_tier_id, self.silver)
        self.assertTiersHold()
        self.gold_customer.action_archive()
        self.assertTiersHold()
        self.gold_customer.action_unarchive()
        self.bronze_customer.parent_id = self.gold_customer
        self.assertTiersHold()
        self.bronze_customer.parent_id = False
        self.assertTiersHold()
        # Moved to the second company: the first company's users no longer
        # see it, the second's do.
        self.silver_customer.company_id = self.second
        self.assertTiersHold()
        self.silver_customer.company_id = False
        self.assertTiersHold()

        unsold = self._customer("Tiers Unsold", customer_rank=1)
        card = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": unsold.id, "sh_tier_id": self.gold.id}
        )
        card._sh_store_partner_tier()
        self.assertTiersHold()
        card.sudo().unlink()  # sudo: nobody deletes cards; the test clears the way
        unsold.unlink()
        self.assertTiersHold()
        # A year on, the review lowers the tiers no sale keeps.
        with freeze_time("2027-08-15"):
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.assertTiersHold()

    def test_a_bulk_write_counts_as_one_by_one(self):
        """A statement of more partners than the trigger plans once (an
        import, the review of every card) changes the counts as many
        single writes would, and the writes after it too."""
        count = plans.PLANNED_FROM + 20
        partners = self.Partner.create(
            [{"name": f"Tiers Bulk {n}", "customer_rank": 1} for n in range(count)]
        )
        cards = self.env["loyalty.card"].create(
            [
                {"program_id": self.program.id, "partner_id": partner.id, "sh_tier_id": tier.id}
                for partner, tier in zip(partners, [self.silver, self.gold] * count, strict=False)
            ]
        )
        cards._sh_store_partner_tier()
        self.assertTiersHold()
        partners.action_archive()
        self.assertTiersHold()
        partners[:3].action_unarchive()
        self.assertTiersHold()

    def test_a_filtered_list_counts_its_customers(self):
        """A search counts the tiers of the customers it finds."""
        domain = LIST_DOMAIN + [("id", "in", (self.gold_customer | self.prospect).ids)]
        self.assertEqual(
            self._tiers(self.accountant, domain),
            [("Bronze", 0), ("Silver", 0), ("Gold", 1), ("Platinum", 0)],
        )
