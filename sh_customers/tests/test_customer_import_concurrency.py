"""Two imports of one file at once, in real transactions: the second one
sees the customers the first one created and creates none again."""

import psycopg2

from odoo import api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

ROWS = [{"name": "SH Concurrent Garage", "mobile": "+966 50 987 6543"}]


@tagged("post_install", "-at_install")
class TestCustomerImportConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.admin_id = self.env.ref("base.user_admin").id
        self.addCleanup(self._cleanup)

    def _cursor(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, self.admin_id, {})

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.admin_id, {"active_test": False})
            env["res.partner"].search([("name", "=", ROWS[0]["name"])]).unlink()

    def _count(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.admin_id, {"active_test": False})
            return env["res.partner"].search_count([("name", "=", ROWS[0]["name"])])

    def test_second_import_runs_again_and_matches_the_first_ones_customers(self):
        first, second = self._cursor(), self._cursor()
        # The second import's transaction began (its snapshot is taken)
        # before the first one commits.
        self.assertEqual(second["res.partner"].search_count([("name", "=", ROWS[0]["name"])]), 0)
        result = first["sh.customer.import"]._sh_import_rows(ROWS, dry_run=False)
        self.assertEqual(result["counts"]["created"], 1)
        first.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
            second["sh.customer.import"]._sh_import_rows(ROWS, dry_run=False)
        second.cr.rollback()
        self.assertEqual(self._count(), 1, "The refused import created nothing.")
        # Odoo runs the request again on a serialization failure.
        result = second["sh.customer.import"]._sh_import_rows(ROWS, dry_run=False, on_match="skip")
        self.assertEqual(
            result["counts"], {"created": 0, "updated": 0, "skipped": 1, "rejected": 0}
        )
        second.cr.commit()
        self.assertEqual(self._count(), 1)

    def test_dry_runs_do_not_wait_for_each_other(self):
        first, second = self._cursor(), self._cursor()
        first["sh.customer.import"]._sh_import_rows(ROWS, dry_run=True)
        result = second["sh.customer.import"]._sh_import_rows(ROWS, dry_run=True)
        self.assertEqual(result["counts"]["created"], 1)
        self.assertEqual(self._count(), 0)
