from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sh_interactions.tests.common import ShInteractionsCommon
from odoo.addons.sh_loyalty.tests.common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyInMessages(ShInteractionsCommon, ShLoyaltyCommon):
    """The communication templates show the customer's points and tier,
    read from the customer's card in the company's customers' program (1
    point per unit, points valid 12 months, Silver from 1,000.00)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.garage.lang = "en_US"

    def _templates(self, purpose):
        return self.env.ref(f"sh_interactions.sh_communication_template_{purpose}")

    @freeze_time("2026-03-10 10:00:00")
    def test_points_and_tier_in_the_messages(self):
        # 1,500.00 untaxed at 1 point per unit: 1,500 points, and 1,500.00 of
        # sales in 12 months reach Silver (from 1,000.00).
        self._invoice(self.garage, 1500.0, "2026-03-01")
        self.garage.invalidate_recordset()

        body = self._templates("points_expiring")._render_messages(self.garage)
        self.assertIn("you have 1,500 loyalty points with", body[self.garage.id]["body"])
        body = self._templates("tier_upgrade")._render_messages(self.garage)
        self.assertIn("upgraded to our Silver loyalty tier.", body[self.garage.id]["body"])
        # A contact's message shows the figures of the customer it works for.
        values = (self.garage | self.contact)._sh_message_values()
        for partner in self.garage | self.contact:
            self.assertEqual(
                (values[partner.id]["points"], values[partner.id]["tier"]),
                ("1,500", "Silver"),
                partner.name,
            )

    def test_points_expiring_soon_with_their_date(self):
        with freeze_time("2026-03-10 10:00:00"):
            self._invoice(self.garage, 1500.0, "2026-03-01")
        # The points earned on 1 March 2026 expire 12 months later.
        with freeze_time("2027-02-25 10:00:00"):
            self.garage.invalidate_recordset()
            values = self.garage._sh_message_values()[self.garage.id]
            self.assertEqual(
                (values["expiring_points"], values["expiring_date"]), ("1,500", "03/01/2027")
            )

    def test_no_points_without_a_card(self):
        """A customer outside the program: no points, no tier; the tier
        message reads without a blank."""
        values = self.garage._sh_message_values()[self.garage.id]
        self.assertEqual((values["points"], values["tier"]), ("0", ""))
        self.assertEqual((values["expiring_points"], values["expiring_date"]), ("0", ""))
        body = self._templates("tier_upgrade")._render_messages(self.garage)
        self.assertIn("upgraded to our loyalty tier.", body[self.garage.id]["body"])
