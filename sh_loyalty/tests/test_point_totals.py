from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sh_customers.figures import totals
from odoo.addons.sh_customers.figures.dashboard_domains import CUSTOMER_DOMAIN

from ..figures import plans, point_totals
from .common import ShLoyaltyCommon

# Periods of the dashboard: this year, the year before, one before any
# points were moved, one between two of a member's purchases, and a day.
PERIODS = {
    "current": (date(2026, 1, 1), date(2026, 6, 30)),
    "previous": (date(2025, 1, 1), date(2025, 6, 30)),
    "before": (date(2023, 1, 1), date(2023, 12, 31)),
    "between": (date(2025, 6, 1), date(2025, 12, 31)),
    "day": (date(2026, 5, 2), date(2026, 5, 2)),
}


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestPointTotals(ShLoyaltyCommon):
    """The unfiltered dashboard reads the members and points that
    PostgreSQL keeps up to date from every write of the cards, their points
    history and the customers: they must always say what counting every
    member's history says, for every user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Dashboard = cls.env["sh.customer.dashboard"]
        cls.garage = cls._customer("Points Garage", is_company=True)
        cls._invoice(cls.garage, 600.0, "2025-03-10")
        cls._invoice(cls.garage, 250.0, "2026-05-02")
        cls.workshop = cls._customer("Points Workshop")
        cls._invoice(cls.workshop, 1500.0, "2026-06-02")
        cls.driver = cls._customer("Points Driver")
        cls.second = cls._second_company()
        cls.second_program = cls._program(cls.second)
        cls._invoice(cls.workshop, 900.0, "2026-06-10", company=cls.second)
        cls.accountant = cls._accountant("points_accountant")
        cls.seller = cls._sales_user("points_seller")
        cls.second_accountant = cls._accountant("points_second", company=cls.second)
        # The test's companies are new: a full refresh writes every
        # customer's figures in them, as the nightly one would.
        cls.Partner._sh_refresh_customer_stats(all_customers=True)

    def _stored(self):
        """The members and points as the tables hold them, by key and day."""
        self.env.flush_all()
        return self._summed(SQL("SELECT * FROM sh_loyalty_point_total"))

    def _recounted(self):
        """The members and points counted again from the cards, customers
        and history."""
        self.env.flush_all()
        return self._summed(
            SQL(
                """
                WITH member AS (%(wanted)s)
                SELECT program_id, partner_company_id, partner_share, NULL::date, COUNT(*),
                       0, 0, 0
                  FROM member GROUP BY 1, 2, 3
                UNION ALL
                SELECT member.program_id, member.partner_company_id, member.partner_share,
                       line.sh_date, 0, line.issued - line.used,
                       CASE WHEN line.sh_reason = 'earn' THEN line.issued ELSE 0 END,
                       CASE WHEN line.sh_reason = 'redeem' THEN line.used ELSE 0 END
                  FROM loyalty_history line JOIN member ON member.card_id = line.card_id
                """,
                wanted=point_totals.wanted_sql(SQL("TRUE")),
            )
        )

    def _summed(self, rows):
        return {
            row[:4]: tuple(round(float(value), 2) for value in row[4:])
            for row in self.env.execute_query(point_totals.summed_sql(rows))
        }

    def _engaged(self, rows):
        self.env.flush_all()
        return {
            tuple(row[:6]): row[6]
            for row in self.env.execute_query(point_totals.summed_engaged_sql(rows))
        }

    def _kept_members(self):
        self.env.flush_all()
        return dict(
            self.env.execute_query(SQL("SELECT card_id, program_id FROM sh_loyalty_member"))
        )

    def _figures(self, user, kept):
        dashboard = self.Dashboard.with_user(user).with_company(user.company_id)
        program = self.program if user.company_id == self.env.company else self.second_program
        if kept:
            figures = point_totals.point_figures(dashboard.env, program, PERIODS)
        else:
            figures = dashboard._sh_counted_points(program, PERIODS)
        return {name: round(float(value), 2) for name, value in figures.items()}

    def assertPointsHold(self):
        """The tables equal the members and points counted again, and for
        each user the kept figures of every period equal those counted from
        the members' history."""
        self.assertEqual(self._stored(), self._recounted())
        self.assertEqual(
            self._engaged(SQL("SELECT * FROM sh_loyalty_engaged_total")),
            self._engaged(
                point_totals.engaged_sql(
                    SQL(
                        "SELECT card_id, sh_date FROM loyalty_history WHERE sh_reason IN %s",
                        point_totals.ENGAGED_REASONS,
                    ),
                    SQL("(%s)", point_totals.wanted_sql(SQL("TRUE"))),
                    SQL("1"),
                )
            ),
        )
        for user in (self.accountant, self.seller, self.second_accountant):
            with self.subTest(user=user.login):
                dashboard = self.Dashboard.with_user(user).with_company(user.company_id)
                self.assertTrue(totals.lists_every_customer(dashboard.env, CUSTOMER_DOMAIN))
                self.assertTrue(dashboard._sh_reads_kept_points())
                self.assertEqual(self._figures(user, True), self._figures(user, False))

    def test_the_dashboard_reads_the_kept_points(self):
        """The cards of the dashboard come from the tables: a row of changes
        shows at once, and the daily pass counts them again."""
        self.assertPointsHold()
        figures = self._figures(self.accountant, True)
        # The garage earned 600 in 2025 and 250 in 2026, the workshop 1,500:
        # three members (the driver bought nothing and has no card yet).
        self.assertEqual(figures["members"], 2)
        self.assertEqual(
            (figures["current_issued"], figures["current_open_points"]), (1750.0, 2350.0)
        )
        self.assertEqual((figures["current_engaged"], figures["previous_engaged"]), (2, 1))
        self.assertEqual((figures["before_open_points"], figures["before_engaged"]), (0.0, 0))
        # Between its two purchases the garage was not engaged; on the day of
        # the second one it was.
        self.assertEqual((figures["between_engaged"], figures["day_engaged"]), (0, 1))
        self.env.execute_query(
            SQL(
                "INSERT INTO sh_loyalty_point_total VALUES (%s, NULL, FALSE, '2026-06-01',"
                " 3, 40, 40, 0)",
                self.program.id,
            )
        )
        cards = {
            card["key"]: card["value"]
            for card in self.Dashboard.with_user(self.accountant).get_dashboard_data()["cards"]
        }
        # 2 engaged of 5 members; 2,390 open points, which no reward values.
        self.assertEqual(cards["loyalty_engagement"], 40.0)
        self.assertEqual(cards["points_liability"], 2390.0)
        self.env["loyalty.card"]._cron_sh_loyalty_daily()
        self.assertEqual(self._figures(self.accountant, True)["members"], 2)
        self.assertPointsHold()

    def test_points_follow_every_write(self):
        """Earning, a refund, a redemption, an archived customer or card, a
        customer made a contact and back, moved to another company, a card
        given to another customer, deleted cards and customers: after each,
        the figures equal what the history says."""
        self._invoice(self.driver, 300.0, "2026-06-20")
        self.assertPointsHold()
        invoice = self._invoice(self.garage, 400.0, "2026-06-21")
        self._refund(invoice, 100.0, "2026-06-22")
        self.assertPointsHold()
        self._card(self.workshop)._sh_redeem(self.reward)
        self.assertPointsHold()
        # A line corrected: other points, another day, another reason.
        line = self.env["loyalty.history"].search(
            [("card_id", "=", self._card(self.garage).id), ("sh_reason", "=", "earn")], limit=1
        )
        line.sudo().write(
            {"issued": line.issued + 25, "sh_date": "2024-02-01"}
        )  # sudo: history lines are read-only to users
        self.assertPointsHold()
        line.sudo().sh_reason = "adjust"  # sudo: as above
        self.assertPointsHold()
        self.garage.action_archive()
        self.assertPointsHold()
        self.garage.action_unarchive()
        self.driver.parent_id = self.garage
        self.assertPointsHold()
        self.driver.parent_id = False
        self.assertPointsHold()
        # Moved to the second company: the first company's users no longer
        # see it, the second's do.
        self.workshop.company_id = self.second
        self.assertPointsHold()
        self.workshop.company_id = False
        self.assertPointsHold()
        card = self._card(self.driver)
        card.active = False
        self.assertPointsHold()
        card.active = True
        card.partner_id = self.garage
        self.assertPointsHold()
        card.partner_id = self.driver
        # A deleted card takes its history with it; a deleted customer
        # leaves its card without one.
        stranger = self._customer("Points Stranger", customer_rank=1)
        kept = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": stranger.id}
        )
        # sudo: history lines are written by the program's own flows
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": kept.id,
                "issued": 75.0,
                "used": 0.0,
                "sh_reason": "adjust",
                "description": "Welcome",
            }
        )
        self.assertIn(kept.id, self._kept_members())
        self.assertPointsHold()
        stranger.unlink()
        self.assertNotIn(kept.id, self._kept_members())
        self.assertPointsHold()
        card.sudo().unlink()  # sudo: nobody deletes cards; the test clears the way
        self.assertNotIn(card.id, self._kept_members())
        self.assertPointsHold()
        # A card deleted with no history leaves the members at once, and its
        # row with the daily pass.
        empty = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": self._customer("Points Empty").id}
        )
        self.assertPointsHold()
        empty_id = empty.id
        empty.sudo().unlink()  # sudo: as above
        self.assertPointsHold()
        # A year on, the daily pass expires the points no sale renewed.
        with freeze_time("2027-08-15"):
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.assertPointsHold()
        self.assertNotIn(empty_id, self._kept_members())

    def test_a_bulk_write_counts_as_one_by_one(self):
        """Statements of more rows than the triggers plan once (an import,
        the daily pass) change the figures as many single writes would, and
        the writes after them too."""
        count = plans.PLANNED_FROM + 20
        partners = self.Partner.create(
            [{"name": f"Points Bulk {n}", "customer_rank": 1} for n in range(count)]
        )
        cards = self.env["loyalty.card"].create(
            [{"program_id": self.program.id, "partner_id": partner.id} for partner in partners]
        )
        self.env["loyalty.history"].sudo().create(  # sudo: as the program's own flows
            [
                {
                    "card_id": card.id,
                    "issued": 10.0 + n,
                    "used": 0.0,
                    "sh_reason": "earn",
                    "sh_date": "2026-06-15",
                    "description": "Bulk",
                }
                for n, card in enumerate(cards)
            ]
        )
        self.assertPointsHold()
        partners.action_archive()
        self.assertPointsHold()
        partners[:3].action_unarchive()
        self.assertPointsHold()
        self._invoice(self.driver, 80.0, "2026-06-29")
        self.assertPointsHold()

    def test_a_record_rule_of_the_user_counts_the_history(self):
        """A user whose own record rule hides customers counts the members'
        history of those they see."""
        rule = self.env["ir.rule"].create(
            {
                "name": "Only the garage",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "domain_force": repr([("id", "!=", self.workshop.id)]),
                "groups": [(4, self.env.ref("base.group_user").id)],
            }
        )
        dashboard = self.Dashboard.with_user(self.accountant)
        self.assertFalse(dashboard._sh_reads_kept_points())
        figures = self._figures(self.accountant, False)
        self.assertEqual((figures["members"], figures["current_issued"]), (1, 250.0))
        rule.unlink()
        self.assertTrue(dashboard._sh_reads_kept_points())
