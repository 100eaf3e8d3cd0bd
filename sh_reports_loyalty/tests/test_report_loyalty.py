"""The Loyalty and Rewards report on points earned, spent, expired and taken
back through the program's own flows: its figures against the sums of the
points history, the liability and the tiers as of a day, the tier changes,
the rewards, the expiring points, the filters and the options dialog."""

from datetime import date, datetime
from io import BytesIO

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sh_loyalty.tests.common import ShLoyaltyCommon

# The second quarter of 2026 against the 91 days before it (31 December
# 2025 to 31 March 2026).
PERIOD = {"period": "custom", "date_from": "2026-04-01", "date_to": "2026-06-30"}
PREVIOUS = ("2025-12-31", "2026-03-31")


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestReportLoyalty(ShLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the customers built here count (sudo: the test user may not
        # write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        # A point is worth 5 / 100 through this reward.
        cls.voucher = cls.env["loyalty.reward"].create(
            {
                "program_id": cls.program.id,
                "reward_type": "discount",
                "discount": 5.0,
                "discount_mode": "per_order",
                "discount_applicability": "order",
                "required_points": 100,
                "description": "5 off",
            }
        )
        cls.seller = cls.env["res.users"].create({"name": "Salim", "login": "sh_loyalty_seller"})
        cls.ali = cls._customer("Ali Garage")
        cls.badr = cls._customer("Badr Motors")
        cls.chadi = cls._customer("Chadi Fleet", user_id=cls.seller.id)
        cls.dana = cls._customer("Dana Tyres")
        # Ali earns 800 on 1 May 2025, expiring on 1 May 2026; Dana 500 on
        # 10 July 2025, expiring on 10 July 2026.
        with freeze_time("2025-05-01"):
            cls._invoice(cls.ali, 800.0, "2025-05-01")
        with freeze_time("2025-07-10"):
            cls._invoice(cls.dana, 500.0, "2025-07-10")
        # Badr earns 1200 on 15 February, reaching Silver (1000).
        with freeze_time("2026-02-15"):
            badr_invoice = cls._invoice(cls.badr, 1200.0, "2026-02-15")
        # He spends 100 on the voucher on 10 April.
        with freeze_time("2026-04-10"):
            coupon = cls._card_of(cls.badr)._sh_redeem(cls.voucher)
        # The coupon's creation time is the database's clock, which the
        # frozen dates do not move: it is set to the redemption's day.
        cls.env.cr.execute(
            SQL(
                "UPDATE loyalty_card SET create_date = %s WHERE id = %s",
                datetime(2026, 4, 10, 9),
                coupon.id,
            )
        )
        coupon.invalidate_recordset(["create_date"])
        # Chadi earns 6000 on 20 April: Bronze to Gold (5000).
        with freeze_time("2026-04-20"):
            cls._invoice(cls.chadi, 6000.0, "2026-04-20")
        # Ali's 800 expire at the daily run of 2 May.
        with freeze_time("2026-05-02"):
            cls._daily_run()
        # A credit note of 300 on Badr's invoice takes back 300 points on 5
        # May; his 900 of sales fall below Silver: the review of 6 May starts
        # the 30 days of grace, that of 10 June lowers him to Bronze.
        with freeze_time("2026-05-05"):
            cls._invoice(
                cls.badr,
                300.0,
                "2026-05-05",
                move_type="out_refund",
                reversed_entry_id=badr_invoice.id,
            )
        for day in ("2026-05-06", "2026-06-10"):
            with freeze_time(day):
                cls._daily_run()
        cls.Report = cls.env["sh.report.loyalty"]

    @classmethod
    def _card_of(cls, partner):
        return cls.env["loyalty.card"].search(
            [("partner_id", "=", partner.id), ("program_id", "=", cls.program.id)]
        )

    @classmethod
    def _daily_run(cls):
        Card = cls.env["loyalty.card"]
        cards = Card.search([("program_id", "=", cls.program.id)])
        Card._sh_expire_and_review(cards.ids, fields.Date.context_today(Card))
        cls.env.invalidate_all()

    def _data(self, **options):
        return self.Report.get_report_data({**PERIOD, **options})

    def _by_key(self, items):
        return {item["key"]: item for item in items}

    def _card_values(self, data):
        return {
            key: (card["value"], card["previous"])
            for key, card in self._by_key(data["cards"]).items()
        }

    def _history_sums(self, start, end, partners=None):
        """{reason: (issued, used)} of the program's history between
        ``start`` and ``end``, summed by the ORM."""
        domain = [
            ("card_id.program_id", "=", self.program.id),
            ("sh_date", ">=", start),
            ("sh_date", "<=", end),
        ]
        if partners:
            domain.append(("card_id.partner_id", "in", partners.ids))
        return {
            reason: (issued, used)
            for reason, issued, used in self.env["loyalty.history"]._read_group(
                domain, ["sh_reason"], ["issued:sum", "used:sum"]
            )
        }

    def test_figures_are_the_sums_of_the_history(self):
        data = self._data()
        cards = self._card_values(data)
        current = self._history_sums(PERIOD["date_from"], PERIOD["date_to"])
        previous = self._history_sums(*PREVIOUS)
        # In the quarter: Chadi earned 6000, Badr spent 100, Ali's 800
        # expired and Badr's credit note took back 300. Before: Badr's 1200.
        self.assertEqual(current["earn"][0], 6000.0)
        self.assertEqual(cards["points_issued"], (current["earn"][0], previous["earn"][0]))
        self.assertEqual(cards["points_issued"], (6000.0, 1200.0))
        self.assertEqual(cards["points_redeemed"], (current["redeem"][1], 0.0))
        self.assertEqual(cards["points_redeemed"], (100.0, 0.0))
        self.assertEqual(cards["points_expired"], (current["expire"][1], 0.0))
        self.assertEqual(cards["points_expired"], (800.0, 0.0))
        self.assertEqual(cards["points_reversed"], (current["reverse"][1], 0.0))
        self.assertEqual(cards["points_reversed"], (300.0, 0.0))
        # Each movement of the table is its reason's sum in the history.
        labels = dict(self.env["loyalty.history"]._fields["sh_reason"].selection)
        rows = {row["reason"]: row for row in self._by_key(data["tables"])["movements"]["rows"]}
        self.assertEqual(
            {reason: (row["points_in"], row["points_out"]) for reason, row in rows.items()},
            {labels[reason]: sums for reason, sums in current.items()},
        )
        self.assertEqual(rows["Earned"]["previous_net"], 1200.0)
        # The net of the quarter, 6000 - 100 - 800 - 300 = 4800, is the
        # change of the open points: 7300 on 30 June, 2500 on 31 March.
        totals = self._by_key(data["tables"])["movements"]["totals"]
        self.assertEqual(totals["net"], 4800.0)
        self.assertEqual(cards["open_points"][0], 7300.0)
        self.assertEqual(
            self._card_values(self._data(as_of="2026-03-31"))["open_points"][0], 2500.0
        )

    def test_rates(self):
        cards = self._card_values(self._data())
        # Used 100 of 6000 issued; expired 800 of 6000; nothing of 1200.
        self.assertEqual(cards["redemption_rate"], (1.67, 0.0))
        self.assertEqual(cards["breakage"], (13.33, 0.0))
        # Chadi earned and Badr spent: 2 of 4 members; before, Badr: 1.
        self.assertEqual(cards["loyalty_engagement"], (50.0, 25.0))
        self.assertEqual(cards["members"][0], 4)
        engaged = self._by_key(self._data()["cards"])["loyalty_engagement"]["domain"]
        self.assertEqual(self.env["res.partner"].search(engaged), self.badr | self.chadi)

    def test_liability_as_of_a_day(self):
        # Open on 30 June: Badr 1200 - 100 - 300 = 800, Chadi 6000, Dana
        # 500: 7300 points at 0.05 = 365.
        cards = self._card_values(self._data())
        self.assertEqual(cards["points_liability"][0], 365.0)
        # On 31 March: Ali 800 (not yet expired), Badr 1200, Dana 500: 2500
        # points at 0.05 = 125.
        cards = self._card_values(self._data(as_of="2026-03-31"))
        self.assertEqual(cards["points_liability"][0], 125.0)

    def test_tiers_as_of_a_day_and_changes(self):
        def tiers(data):
            rows = self._by_key(data["tables"])["tiers"]["rows"]
            return {row["tier"]: row["members"] for row in rows}

        # 30 June: Ali, Badr (lowered on 10 June) and Dana in Bronze, Chadi
        # in Gold.
        self.assertEqual(tiers(self._data()), {"Bronze": 3, "Gold": 1})
        # 31 March: Badr was Silver; Chadi was no member yet.
        data = self._data(as_of="2026-03-31")
        self.assertEqual(tiers(data), {"Bronze": 2, "Silver": 1})
        silver = next(
            row for row in self._by_key(data["tables"])["tiers"]["rows"] if row["tier"] == "Silver"
        )
        self.assertEqual(self.env["res.partner"].search(silver["_domain"]), self.badr)
        data = self._data()
        changes = [
            (row["date"], row["customer"], row["old_tier"], row["new_tier"], row["direction"])
            for row in self._by_key(data["tables"])["tier_changes"]["rows"]
        ]
        self.assertEqual(
            changes,
            [
                ("2026-04-20", "Chadi Fleet", "Bronze", "Gold", "Upgrade"),
                ("2026-06-10", "Badr Motors", "Silver", "Bronze", "Downgrade"),
            ],
        )
        cards = self._card_values(data)
        # Badr's upgrade of 15 February is the previous period's.
        self.assertEqual(cards["tier_upgrades"], (1, 1))
        self.assertEqual(cards["tier_downgrades"], (1, 0))

    def test_rewards_and_expiring_points(self):
        data = self._data()
        rewards = self._by_key(data["tables"])["rewards"]["rows"]
        self.assertEqual(
            [(row["reward"], row["coupons"], row["customers"], row["points"]) for row in rewards],
            [("5 off", 1, 1, 100.0)],
        )
        self.assertEqual(rewards[0]["previous"], 0)
        # Dana's 500 expire on 10 July, within 30 days of 30 June; Badr's
        # and Chadi's lots run to 2027.
        expiring = self._by_key(data["tables"])["expiring"]["rows"]
        self.assertEqual(
            [(row["_res_id"], row["expiring"], row["expiry_date"]) for row in expiring],
            [(self.dana.id, 500.0, "2026-07-10")],
        )
        self.assertEqual(self._card_values(data)["expiring_points"][0], 500.0)

    def test_customer_filter(self):
        """Salim's customer only: Chadi's 6000 points."""
        data = self._data(user_id=self.seller.id)
        cards = self._card_values(data)
        sums = self._history_sums(PERIOD["date_from"], PERIOD["date_to"], self.chadi)
        self.assertEqual(cards["points_issued"][0], sums["earn"][0])
        self.assertEqual(cards["points_issued"], (6000.0, 0.0))
        self.assertEqual(cards["points_redeemed"][0], 0.0)
        self.assertEqual(cards["members"][0], 1)
        self.assertEqual(cards["open_points"][0], 6000.0)

    def test_other_company_program(self):
        """A user of another company sees its program's members only, and
        this company's figures do not move."""
        company = self._second_company(name="Second Co")
        self._program(company)
        customer = self._customer("Zaid Spares")
        with freeze_time("2026-05-10"):
            self._invoice(customer, 700.0, "2026-05-10", company=company)
        user = self._accountant("sh_loyalty_report_second", company)
        cards = self._card_values(self.Report.with_user(user).get_report_data(PERIOD))
        self.assertEqual(cards["points_issued"], (700.0, 0.0))
        self.assertEqual(cards["members"][0], 1)
        cards = self._card_values(self._data())
        self.assertEqual(cards["points_issued"], (6000.0, 1200.0))
        self.assertEqual(cards["members"][0], 4)

    def test_company_without_program(self):
        company = self._second_company(name="No Program Co")
        data = self.Report.get_report_data({**PERIOD, "company_id": company.id})
        self.assertEqual(data["cards"], [])
        self.assertEqual(len(data["messages"]), 1)

    def test_options_dialog(self):
        wizard = (
            self.env["sh.report.wizard"]
            .with_context(default_report="sh.report.loyalty")
            .create(
                {"period": "custom", "date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
            )
        )
        self.assertTrue(wizard.uses_as_of)
        action = wizard.action_show()
        self.assertEqual(action["params"]["report"], "sh.report.loyalty")
        menu = self.env.ref("sh_reports_loyalty.sh_report_menu_loyalty")
        self.assertEqual(menu.parent_id, self.env.ref("sh_reports.sh_reports_menu"))
        self.assertEqual(
            menu.action, self.env.ref("sh_reports_loyalty.sh_report_wizard_action_loyalty")
        )

    def test_xlsx_movements(self):
        """The XLSX's movements sheet: each reason's points of the quarter."""
        content, _format = self.env["ir.actions.report"]._render_xlsx(
            "sh_reports.report_customer_xlsx",
            [],
            data={"report": "sh.report.loyalty", "options": PERIOD},
        )
        sheet = load_workbook(BytesIO(content))["Points Movements"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Movement", "Points In", "Points Out", "Net"))
        self.assertEqual(
            [row[:4] for row in rows[1:]],
            [
                ("Earned", 6000, 0, 6000),
                ("Reversed", 0, 300, -300),
                ("Expired", 0, 800, -800),
                ("Redeemed", 0, 100, -100),
                ("Total", 6000, 1200, 4800),
            ],
        )
