from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 12:00:00")
class TestCustomerArchiveInteractions(ShInteractionsCommon):
    def test_archive_and_restore_keep_the_interactions(self):
        """An archived customer keeps its interactions and tasks: the log
        still finds them, and the restored customer counts the same."""
        self._interaction(self.garage, channel="visit", subject="Quote for pads")
        self._interaction(self.contact, channel="whatsapp", subject="Sent the quote")
        Interaction = self.env["sh.customer.interaction"].with_user(self.sales_user)
        domain = [("partner_id", "=", self.garage.id)]
        before = (
            self.garage.sh_interaction_count,
            self.garage.sh_open_task_count,
            Interaction.search(domain).ids,
        )
        self.assertEqual(before[0], 2)
        self.env["sh.customer.archive.wizard"].with_user(self.sales_user).create(
            {"partner_ids": [Command.set(self.garage.ids)], "reason": "closed"}
        ).action_sh_archive()
        self.assertFalse(self.garage.active)
        self.assertEqual(Interaction.search(domain).ids, before[2])
        self.garage.with_user(self.sales_user).action_unarchive()
        self.garage.invalidate_recordset()
        self.assertTrue(self.garage.active)
        self.assertEqual(
            (
                self.garage.sh_interaction_count,
                self.garage.sh_open_task_count,
                Interaction.search(domain).ids,
            ),
            before,
        )
