from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestCustomerTimeline(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls._second_company()
        cls.env.user.tz = "Asia/Riyadh"
        cls.Timeline = cls.env["sh.customer.timeline"]
        cls.customer = cls._customer("Basra Auto Parts", is_company=True)
        with freeze_time("2025-03-31"):
            # 1000 + 15% VAT = 1150 on 10 January.
            cls.invoice_1 = cls._invoice(cls.customer, 1000.0, "2025-01-10", taxes=cls.tax_15)
            # 400 paid on 20 January: 750 owed.
            cls.payment_1 = cls._pay(cls.invoice_1, amount=400.0, date="2025-01-20")
            # 200 + 15% = 230 on 1 February: 980 owed.
            cls.invoice_2 = cls._invoice(cls.customer, 200.0, "2025-02-01", taxes=cls.tax_15)
            # A credit note of 100 + 15% = 115 on 5 February: 865 owed.
            cls.refund = cls._invoice(
                cls.customer, 100.0, "2025-02-05", move_type="out_refund", taxes=cls.tax_15
            )
            # 500 more on 20 February, on the first invoice: 365 owed.
            cls.payment_2 = cls._pay(cls.invoice_1, amount=500.0, date="2025-02-20")
            # Another company's invoice never appears in this company.
            cls.invoice_b = cls._invoice(cls.customer, 999.0, "2025-02-10", company=cls.company_2)
        with freeze_time("2025-03-01 09:30:00"):
            cls.customer.message_post(
                body="Asked for a quote on brake discs.", message_type="comment"
            )

    def _rows(self, data):
        return [(e["kind"], e["date"], e["name"], e["amount"], e["debt"]) for e in data["events"]]

    @freeze_time("2025-03-31")
    def test_order_and_running_debt(self):
        """Newest first, each money event with the debt after it: 1150,
        then 1150 - 400 = 750, + 230 = 980, - 115 = 865, - 500 = 365, the
        customer's debt today; each payment matched with the invoice comes
        right after it, without changing the debt."""
        data = self.Timeline.get_timeline(self.customer.id)
        self.assertEqual(
            self._rows(data),
            [
                ("message", "2025-03-01 09:30:00", "Basra Auto Parts", None, None),
                (
                    "reconciliation",
                    "2025-02-20",
                    f"{self.payment_2.move_id.name} matched with {self.invoice_1.name}",
                    500.0,
                    None,
                ),
                ("payment", "2025-02-20", self.payment_2.name, -500.0, 365.0),
                ("credit_note", "2025-02-05", self.refund.name, -115.0, 865.0),
                ("invoice", "2025-02-01", self.invoice_2.name, 230.0, 980.0),
                (
                    "reconciliation",
                    "2025-01-20",
                    f"{self.payment_1.move_id.name} matched with {self.invoice_1.name}",
                    400.0,
                    None,
                ),
                ("payment", "2025-01-20", self.payment_1.name, -400.0, 750.0),
                ("invoice", "2025-01-10", self.invoice_1.name, 1150.0, 1150.0),
            ],
        )
        self.assertEqual(self._credit(self.customer), 365.0)
        self.assertFalse(data["has_more"])
        self.assertTrue(data["show_debt"])
        payment = data["events"][2]
        self.assertEqual(
            (payment["res_model"], payment["res_id"]), ("account.payment", self.payment_2.id)
        )
        message = data["events"][0]
        self.assertEqual(message["detail"], "Asked for a quote on brake discs.")
        self.assertEqual(message["user"], self.env.user.name)
        self.assertEqual(
            [kind["key"] for kind in data["kinds"]][:5],
            ["invoice", "credit_note", "payment", "reconciliation", "entry"],
        )
        # The other addons' kinds come between, the messages last.
        self.assertEqual(data["kinds"][-1]["key"], "message")

    @freeze_time("2025-03-31")
    def test_pages_kinds_and_period(self):
        """A page is cut from the whole history: the debt after each event
        counts the events before the period and those of other kinds."""
        first = self.Timeline.get_timeline(self.customer.id, limit=3)
        self.assertEqual(
            [e["kind"] for e in first["events"]], ["message", "reconciliation", "payment"]
        )
        self.assertTrue(first["has_more"])
        last = self.Timeline.get_timeline(self.customer.id, limit=3, offset=6)
        self.assertEqual([e["kind"] for e in last["events"]], ["payment", "invoice"])
        self.assertFalse(last["has_more"])
        february = self.Timeline.get_timeline(
            self.customer.id,
            kinds=["invoice", "credit_note"],
            date_from="2025-02-01",
            date_to="2025-02-28",
        )
        self.assertEqual(
            self._rows(february),
            [
                ("credit_note", "2025-02-05", self.refund.name, -115.0, 865.0),
                ("invoice", "2025-02-01", self.invoice_2.name, 230.0, 980.0),
            ],
        )
        # The user's day: the message of 1 March 09:30 UTC is on 1 March in
        # Riyadh, not on 28 February.
        end_of_february = self.Timeline.get_timeline(self.customer.id, date_to="2025-02-28")
        self.assertNotIn("message", [e["kind"] for e in end_of_february["events"]])
        none = self.Timeline.get_timeline(self.customer.id, kinds=[])
        self.assertEqual(none["events"], [])

    @freeze_time("2025-03-31")
    def test_other_company(self):
        """In the second company, only its own invoice, and its debt."""
        data = self.Timeline.with_company(self.company_2).get_timeline(self.customer.id)
        money = [e for e in data["events"] if e["kind"] != "message"]
        self.assertEqual(
            [(e["kind"], e["amount"], e["debt"]) for e in money], [("invoice", 999.0, 999.0)]
        )

    @freeze_time("2025-03-31")
    def test_customers_messages_on_other_records(self):
        """The customer's own messages on its invoices are its messages too,
        but not those on another company's invoice."""
        for invoice, text in ((self.invoice_2, "Received, thanks."), (self.invoice_b, "Of B")):
            invoice.message_post(
                body=text,
                message_type="comment",
                author_id=self.customer.id,
                email_from="basra@example.com",
            )
        data = self.Timeline.get_timeline(self.customer.id, kinds=["message"])
        self.assertEqual(
            [(e["name"], e["detail"], e["res_model"], e["res_id"]) for e in data["events"]],
            [
                (self.invoice_2.name, "Received, thanks.", "account.move", self.invoice_2.id),
                (
                    "Basra Auto Parts",
                    "Asked for a quote on brake discs.",
                    "res.partner",
                    self.customer.id,
                ),
            ],
        )

    @freeze_time("2025-03-31")
    def test_user_without_accounting(self):
        """A Customers user who may not read invoices sees the messages but
        no invoice, payment or debt; an accountant sees them all."""
        sales = self._sales_user("timeline_sales")
        data = self.Timeline.with_user(sales).get_timeline(self.customer.id)
        self.assertEqual([e["kind"] for e in data["events"]], ["message"])
        self.assertFalse(data["show_debt"])
        # No filter on kinds that would never show anything.
        offered = {kind["key"] for kind in data["kinds"]}
        self.assertIn("message", offered)
        self.assertFalse(
            offered & {"invoice", "credit_note", "payment", "entry", "reconciliation"}, offered
        )
        accountant = self._accountant("timeline_accountant")
        data = self.Timeline.with_user(accountant).get_timeline(self.customer.id)
        self.assertIn("reconciliation", [kind["key"] for kind in data["kinds"]])
        self.assertEqual(len(data["events"]), 8)
        self.assertEqual(data["events"][2]["debt"], 365.0)

    @freeze_time("2025-03-31")
    def test_invoice_reader_without_receivables(self):
        """A user who may read invoices but not receivables (as Sales'
        salesmen do) sees the invoices and credit notes with their amounts,
        the payments without theirs, and no debt."""
        readers = self.env["res.groups"].create({"name": "Invoice readers"})
        self.env["ir.model.access"].create(
            [
                {
                    "name": f"{model} readers",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "group_id": readers.id,
                    "perm_read": True,
                }
                for model in ("account.move", "account.move.line", "account.payment")
            ]
        )
        reader = self._sales_user("timeline_reader")
        reader.groups_id |= readers
        data = self.Timeline.with_user(reader).get_timeline(self.customer.id)
        self.assertFalse(data["show_debt"])
        offered = [kind["key"] for kind in data["kinds"]]
        self.assertIn("invoice", offered)
        self.assertNotIn("reconciliation", offered, "No matchings without the receivables.")
        self.assertEqual(
            self._rows(data),
            [
                ("message", "2025-03-01 09:30:00", "Basra Auto Parts", None, None),
                ("payment", "2025-02-20", self.payment_2.name, None, None),
                ("credit_note", "2025-02-05", self.refund.name, -115.0, None),
                ("invoice", "2025-02-01", self.invoice_2.name, 230.0, None),
                ("payment", "2025-01-20", self.payment_1.name, None, None),
                ("invoice", "2025-01-10", self.invoice_1.name, 1150.0, None),
            ],
        )

    @freeze_time("2025-03-31")
    def test_bad_requests(self):
        """Each bad request says what is wrong."""
        cases = [
            ({"limit": 0}, "The page size must be a number from 1 to 500."),
            ({"offset": -1}, "The offset must be a number from 0."),
            (
                {"kinds": ["invoice", "visit"]},
                "Unknown kinds of events: visit; use some of: ",
            ),
            ({"date_from": "31/01/2025"}, "Dates are written as YYYY-MM-DD."),
            (
                {"date_from": "2025-02-01", "date_to": "2025-01-01"},
                "The period's first day is after its last day.",
            ),
        ]
        for kwargs, message in cases:
            with self.subTest(kwargs=kwargs), self.assertRaises(UserError) as caught:
                self.Timeline.get_timeline(self.customer.id, **kwargs)
            self.assertTrue(str(caught.exception).startswith(message), str(caught.exception))
        with self.assertRaisesRegex(UserError, "This customer does not exist."):
            self.Timeline.get_timeline(10**8)
