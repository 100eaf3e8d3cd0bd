"""The rules of the customer figures (figures/rules.py) against what is
derived from them: SQL and Python agree, and the fields, columns and views
follow the rule."""

from itertools import pairwise

from lxml import etree

from odoo.tests import tagged
from odoo.tools import SQL

from ..figures.rules import (
    AGING_BUCKETS,
    DEBT_GROUPS,
    LIFECYCLE_STATUSES,
    aging_bucket_key,
    aging_bucket_sql,
    lifecycle_is_sql,
    lifecycle_status_sql,
    purchase_gap_sql,
)
from ..figures.statements import FIGURE_FIELDS, STAT_FIELDS
from ..report.customer_list import DEBT_COLUMNS
from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestCustomerFigureRules(ShCustomersCommon):
    """The rules of figures.rules, stated once, give the same answer in
    Python and in SQL, and everything derived from them follows them."""

    def test_aging_buckets_follow_each_other_and_split_days_as_in_sql(self):
        for before, after in pairwise(AGING_BUCKETS):
            self.assertEqual(after.first_day, before.last_day + 1)
        self.assertIsNone(AGING_BUCKETS[0].first_day)
        self.assertIsNone(AGING_BUCKETS[-1].last_day)
        expected = {-30: "not_due", 0: "not_due", 1: "1_30", 30: "1_30", 31: "31_60"}
        expected.update({60: "31_60", 61: "61_90", 91: "91_120", 120: "91_120"})
        expected.update({121: "over_120", 400: "over_120"})
        self.assertEqual({days: aging_bucket_key(days) for days in expected}, expected)
        rows = self.env.execute_query(
            SQL(
                "SELECT days, %s FROM generate_series(-3, 130) days",
                aging_bucket_sql(SQL.identifier("days")),
            )
        )
        self.assertEqual(len(rows), 134)
        for days, key in rows:
            self.assertEqual(key, aging_bucket_key(days), days)

    def test_every_aging_bucket_has_its_field_column_and_list_column(self):
        Partner = self.env["res.partner"]
        Figure = self.env["sh.customer.figure"]
        list_columns = [name for name, _kind in DEBT_COLUMNS]
        for bucket in AGING_BUCKETS:
            field = Partner._fields[bucket.partner_field]
            self.assertEqual((field.type, field.string), ("float", bucket.label))
            self.assertTrue(field.company_dependent)
            self.assertEqual(field.groups, DEBT_GROUPS)
            self.assertEqual(Figure._fields[bucket.column].string, bucket.label)
            self.assertIn(bucket.partner_field, STAT_FIELDS)
            self.assertIn((bucket.column, bucket.partner_field), FIGURE_FIELDS)
            self.assertIn(bucket.partner_field, list_columns)

    def test_customer_form_shows_every_aging_bucket_to_accountants_only(self):
        def aging_fields(user):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            arch = etree.fromstring(views["views"]["form"]["arch"])
            return [
                field.get("name") for field in arch.iterfind(".//group[@name='sh_aging']/field")
            ]

        self.assertEqual(
            aging_fields(self._accountant("sh_rules_accountant")),
            [bucket.partner_field for bucket in AGING_BUCKETS],
        )
        self.assertEqual(aging_fields(self._sales_user("sh_rules_sales")), [])

    def test_lifecycle_status_and_its_conditions_agree(self):
        settings = {"new_days": 90, "churn_days": 365, "gap_factor": 2.0}
        # day, first purchase, last purchase, invoices: one customer of
        # each status, and the edges between them.
        customers = [
            ("2026-06-30", None, None, 0),  # prospect
            ("2026-06-30", "2025-01-01", "2025-06-29", 3),  # churned, 366 days
            ("2026-06-30", "2025-01-01", "2025-06-30", 3),  # 365 days: at risk
            ("2026-06-30", "2026-04-01", "2026-04-01", 1),  # new, 90 days
            ("2026-06-30", "2026-03-31", "2026-03-31", 1),  # 91 days, one invoice: active
            ("2026-06-30", "2026-01-01", "2026-05-01", 5),  # gap 30, 60 days: active
            ("2026-06-30", "2026-01-01", "2026-04-30", 5),  # gap 29.8, 61 days: at risk
        ]
        values = SQL(", ").join(
            SQL("(%s::date, %s::date, %s::date, %s)", *customer) for customer in customers
        )
        arguments = (
            SQL("day"),
            SQL("first_date"),
            SQL("last_date"),
            SQL("invoice_count"),
            purchase_gap_sql(SQL("first_date"), SQL("last_date"), SQL("invoice_count")),
            settings,
        )
        statuses = [key for key, _label in LIFECYCLE_STATUSES]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, ARRAY[%s] FROM (VALUES %s) AS customer"
                "(day, first_date, last_date, invoice_count)",
                lifecycle_status_sql(*arguments),
                SQL(", ").join(lifecycle_is_sql(status, *arguments) for status in statuses),
                values,
            )
        )
        self.assertEqual(
            [status for status, _conditions in rows],
            ["prospect", "churned", "at_risk", "new", "active", "active", "at_risk"],
        )
        for status, conditions in rows:
            self.assertEqual(
                [key for key, holds in zip(statuses, conditions, strict=True) if holds],
                [status],
            )
