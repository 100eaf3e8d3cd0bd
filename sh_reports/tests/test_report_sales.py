"""Tests of the report Sales by Customer: the ranking against the previous
period to the cent, the Pareto shares and ABC classes at their limits,
credit notes, other companies, the salesperson filter, the groupings, the
top products and who may see the margin."""

from io import BytesIO

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon

# April 2026 against the 30 days before it (2 to 31 March).
PERIOD = {"period": "custom", "date_from": "2026-04-01", "date_to": "2026-04-30"}


@tagged("post_install", "-at_install")
@freeze_time("2026-05-15")
class TestReportSales(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the customers built here count (sudo: the test user may not
        # write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.company_2 = cls._second_company(name="Other Company")
        cls.seller_1 = new_test_user(cls.env, login="sh_sales_seller_1", name="Salim One")
        cls.seller_2 = new_test_user(cls.env, login="sh_sales_seller_2", name="Tariq Two")
        cls.accountant = cls._accountant("sh_sales_report_accountant")
        cls.accountant_2 = cls._accountant("sh_sales_report_accountant_2", cls.company_2)
        cls.sales_user = cls._sales_user("sh_sales_report_user")
        cls.alpha = cls._customer(
            "Alpha Motors", is_company=True, sh_customer_type="workshop", user_id=cls.seller_1.id
        )
        cls.beta = cls._customer(
            "Beta Retail", is_company=True, sh_customer_type="retail", user_id=cls.seller_2.id
        )
        cls.gamma = cls._customer(
            "Gamma Fleet", is_company=True, sh_customer_type="fleet", user_id=cls.seller_1.id
        )
        cls.delta = cls._customer("Delta Wholesale", is_company=True, sh_customer_type="wholesale")
        cls.epsilon = cls._customer(
            "Epsilon Parts", is_company=True, sh_customer_type="retail", user_id=cls.seller_2.id
        )
        # Costs in the company: 60, 30, none and 10.
        cls.p1 = cls._create_product(name="Brake Disc", lst_price=100.0, standard_price=60.0)
        cls.p2 = cls._create_product(name="Oil Filter", lst_price=100.0, standard_price=30.0)
        cls.p3 = cls._create_product(name="Wiper Blade", lst_price=40.0, standard_price=0.0)
        cls.p4 = cls._create_product(name="Spark Plug", lst_price=50.0, standard_price=10.0)

        # Alpha: 400 in March; in April 5 x 100 of P1 and 2 x 100 of P2 less a
        # credit note of 1 x 100 of P1: 500 + 200 - 100 = 600 on 2 invoices.
        cls._invoice(cls.alpha, 400.0, "2026-03-10", taxes=cls.tax_15)
        cls._product_invoice(cls.alpha, [(cls.p1, 5, 100.0)], "2026-04-05")
        cls._product_invoice(cls.alpha, [(cls.p2, 2, 100.0)], "2026-04-20")
        cls._product_invoice(cls.alpha, [(cls.p1, 1, 100.0)], "2026-04-25", "out_refund")
        # Never counted: a draft, and an invoice of another company.
        cls._invoice(cls.alpha, 777.0, "2026-04-11", post=False)
        cls._invoice(cls.alpha, 999.0, "2026-04-10", company=cls.company_2)
        # Beta's first purchase, 50 + 60 + 40 + 50 = 200.
        cls._product_invoice(
            cls.beta,
            [(cls.p1, 1, 50.0), (cls.p2, 1, 60.0), (cls.p3, 1, 40.0), (cls.p4, 1, 50.0)],
            "2026-04-12",
        )
        # Gamma bought in January, then 100 + 50 = 150 in April.
        cls._invoice(cls.gamma, 50.0, "2026-01-15")
        cls._invoice(cls.gamma, 100.0, "2026-04-15")
        cls._invoice(cls.gamma, 50.0, "2026-04-16")
        # Delta's first purchase, 50; Epsilon bought in March only, 250.
        cls._invoice(cls.delta, 50.0, "2026-04-28")
        cls._invoice(cls.epsilon, 250.0, "2026-03-20")
        cls.Report = cls.env["sh.report.sales"].with_user(cls.accountant)

    @classmethod
    def _product_invoice(cls, partner, lines, date, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": fields.Date.to_date(date),
                "invoice_payment_term_id": False,
                "invoice_date_due": fields.Date.to_date(date),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.set(cls.tax_15.ids)],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        move.action_post()
        return move

    def _data(self, user=None, **options):
        report = self.env["sh.report.sales"].with_user(user) if user else self.Report
        return report.get_report_data({**PERIOD, **options})

    def _by_key(self, items):
        return {item["key"]: item for item in items}

    def _rows(self, data, key):
        return self._by_key(data["tables"])[key]["rows"]

    def _ranking(self, data):
        return {row["customer"]: row for row in self._rows(data, "ranking")}

    def test_ranking_to_the_cent(self):
        """April's net sales: Alpha 600, Beta 200, Gamma 150, Delta 50, in
        all 1000, untaxed (the 15% tax is not sales), the credit note
        deducted, neither the draft nor the other company's invoice counted.
        Epsilon, who bought in March only, is not ranked."""
        data = self._data()
        rows = self._rows(data, "ranking")
        self.assertEqual(
            [row["customer"] for row in rows],
            ["Alpha Motors", "Beta Retail", "Gamma Fleet", "Delta Wholesale"],
        )
        self.assertEqual([row["rank"] for row in rows], [1, 2, 3, 4])
        self.assertEqual(
            [row["_res_id"] for row in rows],
            [self.alpha.id, self.beta.id, self.gamma.id, self.delta.id],
        )
        alpha = rows[0]
        self.assertEqual(alpha["net_sales"], 600.0)
        # Against March's 400: (600 - 400) / 400 = +50%.
        self.assertEqual(alpha["previous"], 400.0)
        self.assertEqual(alpha["change"], 50.0)
        self.assertEqual(alpha["invoices"], 2)
        self.assertEqual(alpha["aov"], 300.0)
        # Cost 5 x 60 + 2 x 30 - 1 x 60 = 300: margin 600 - 300 = 300.
        self.assertEqual(alpha["margin"], 300.0)
        self.assertEqual(alpha["buyer"], "Returning")
        gamma = self._ranking(data)["Gamma Fleet"]
        # 150 on 2 invoices; nothing in March: no change.
        self.assertEqual((gamma["net_sales"], gamma["invoices"], gamma["aov"]), (150.0, 2, 75.0))
        self.assertEqual((gamma["previous"], gamma["change"]), (0.0, None))
        beta = self._ranking(data)["Beta Retail"]
        # Cost 60 + 30 + 0 + 10 = 100 of 200.
        self.assertEqual((beta["margin"], beta["buyer"]), (100.0, "New"))
        totals = self._by_key(data["tables"])["ranking"]["totals"]
        # The ranking's previous total is that of its customers: Alpha's
        # 400 (Epsilon's 250 is in the cards).
        self.assertEqual(totals["net_sales"], 1000.0)
        self.assertEqual(totals["invoices"], 6)
        # 1000 / 6 invoices.
        self.assertEqual(totals["aov"], 166.67)
        self.assertEqual(totals["margin"], 600.0)
        self.assertEqual(totals["previous"], 400.0)

    def test_pareto_and_abc_limits(self):
        """Shares 60, 20, 15 and 5 %: cumulative 60, 80, 95 and 100 %. Beta
        starts below 80 %: A. Gamma starts at exactly 80 %: B. Delta starts
        at exactly 95 %: C."""
        ranking = self._ranking(self._data())
        expected = {
            "Alpha Motors": (60.0, 60.0, "A"),
            "Beta Retail": (20.0, 80.0, "A"),
            "Gamma Fleet": (15.0, 95.0, "B"),
            "Delta Wholesale": (5.0, 100.0, "C"),
        }
        for name, (share, cumulative, abc) in expected.items():
            row = ranking[name]
            self.assertEqual(
                (row["share"], row["cumulative"], row["abc"]), (share, cumulative, abc)
            )
        classes = {row["abc"]: row for row in self._rows(self._data(), "abc_classes")}
        self.assertEqual(
            {
                name: (row["customers"], row["net_sales"], row["share"])
                for name, row in classes.items()
            },
            {"A": (2, 800.0, 80.0), "B": (1, 150.0, 15.0), "C": (1, 50.0, 5.0)},
        )
        self.assertEqual(classes["A"]["_domain"][-1], ["id", "in", [self.alpha.id, self.beta.id]])

    def test_cards_against_the_previous_period(self):
        cards = self._by_key(self._data()["cards"])

        def card(key):
            return cards[key]["value"], cards[key]["previous"]

        # April 1000 against March 400 + 250 = 650.
        self.assertEqual(card("net_sales"), (1000.0, 650.0))
        self.assertEqual(cards["net_sales"]["variation"], 53.85)
        # Buyers: 4 in April; Alpha and Epsilon in March.
        self.assertEqual(card("buyers"), (4, 2))
        # New: Beta and Delta in April; Alpha and Epsilon began in March.
        self.assertEqual(card("new_buyers"), (2, 2))
        self.assertEqual(card("returning_buyers"), (2, 0))
        self.assertEqual(card("invoices"), (6, 2))
        # 1000 / 6 and 650 / 2.
        self.assertEqual(card("average_order_value"), (166.67, 325.0))
        # 6 invoices / 4 buyers, 2 / 2.
        self.assertEqual(card("purchase_frequency"), (1.5, 1.0))
        # 300 + 100 + 150 + 50 against March's 400 + 250, sold without cost.
        self.assertEqual(card("margin"), (600.0, 650.0))
        self.assertEqual(card("class_a")[0], 2)
        # Lines without a cost in April: Beta's wiper 40, Gamma's 150 and
        # Delta's 50 have no product: 240.
        self.assertTrue(any("240.00" in message for message in self._data()["messages"]))
        new_ids = self.env["res.partner"].search(cards["new_buyers"]["domain"]).ids
        self.assertEqual(set(new_ids), {self.beta.id, self.delta.id})
        returning = self.env["res.partner"].search(cards["returning_buyers"]["domain"])
        self.assertEqual(set(returning.ids), {self.alpha.id, self.gamma.id})

    def test_new_and_returning_charts(self):
        charts = self._by_key(self._data()["charts"])
        counts = {d["key"]: d["data"] for d in charts["new_returning"]["datasets"]}
        self.assertEqual(counts, {"cur": [2, 2], "prev": [2, 0]})
        sales = {d["key"]: d["data"] for d in charts["new_returning_sales"]["datasets"]}
        # New: Beta 200 + Delta 50; returning: Alpha 600 + Gamma 150. In
        # March: Alpha 400 + Epsilon 250, both new.
        self.assertEqual(sales, {"cur": [250.0, 750.0], "prev": [650.0, 0.0]})

    def test_rank_by(self):
        def order(rank_by):
            rows = self._rows(self._data(rank_by=rank_by), "ranking")
            return [row["customer"].split()[0] for row in rows]

        # Invoices: Alpha and Gamma 2 each (Alpha sold more), then 1 each.
        self.assertEqual(order("invoices"), ["Alpha", "Gamma", "Beta", "Delta"])
        # Margin: 300, 150, 100, 50.
        self.assertEqual(order("margin"), ["Alpha", "Gamma", "Beta", "Delta"])
        # Average order value: 300, 200, 75, 50.
        self.assertEqual(order("aov"), ["Alpha", "Beta", "Gamma", "Delta"])
        margin = self._ranking(self._data(rank_by="margin"))["Alpha Motors"]
        # March's margin: 400, sold without a cost: (300 - 400) / 400.
        self.assertEqual((margin["previous"], margin["change"]), (400.0, -25.0))
        with self.assertRaises(UserError):
            self._data(rank_by="volume")

    def test_salesperson_filter(self):
        """Salim's customers, Alpha (600) and Gamma (150): 750, shares 80
        and 20 %, Gamma starting at exactly 80 %: B."""
        data = self._data(user_id=self.seller_1.id)
        ranking = self._ranking(data)
        self.assertEqual(set(ranking), {"Alpha Motors", "Gamma Fleet"})
        self.assertEqual(
            [(row["share"], row["abc"]) for row in ranking.values()], [(80.0, "A"), (20.0, "B")]
        )
        cards = self._by_key(data["cards"])
        self.assertEqual(
            (cards["net_sales"]["value"], cards["net_sales"]["previous"]), (750.0, 400.0)
        )
        products = {row["customer"] for row in self._rows(data, "top_products")}
        self.assertEqual(products, {"Alpha Motors"})

    def test_groups(self):
        data = self._data()
        by_type = {row["group"]: row for row in self._rows(data, "by_customer_type")}
        self.assertEqual(list(by_type), ["Retail", "Workshop", "Fleet", "Wholesale"])
        # Retail: Beta 200 in April, Epsilon 250 in March.
        retail = by_type["Retail"]
        self.assertEqual(
            (retail["buyers"], retail["net_sales"], retail["previous"], retail["change"]),
            (1, 200.0, 250.0, -20.0),
        )
        self.assertEqual(retail["share"], 20.0)
        by_user = {row["group"]: row for row in self._rows(data, "by_salesperson")}
        self.assertEqual(list(by_user), ["Salim One", "Tariq Two", "No Salesperson"])
        self.assertEqual(
            [(row["net_sales"], row["previous"]) for row in by_user.values()],
            [(750.0, 400.0), (200.0, 250.0), (50.0, 0.0)],
        )
        partners = self.env["res.partner"].search(by_user["Salim One"]["_domain"])
        self.assertEqual(set(partners.ids), {self.alpha.id, self.gamma.id})
        chart = self._by_key(data["charts"])["by_salesperson"]
        self.assertEqual(chart["datasets"][0]["data"], [750.0, 200.0, 50.0])

    def test_top_products(self):
        """Alpha: Brake Disc 5 - 1 = 4 for 400, Oil Filter 2 for 200. Beta:
        Oil Filter 60, then Brake Disc and Spark Plug at 50 each (by
        product), not the Wiper Blade's 40."""
        data = self._data()
        rows = self._rows(data, "top_products")
        self.assertEqual(
            [
                (row["customer"], row["rank"], row["product"], row["quantity"], row["net_sales"])
                for row in rows
            ],
            [
                ("Alpha Motors", 1, "Brake Disc", 4.0, 400.0),
                ("Alpha Motors", 2, "Oil Filter", 2.0, 200.0),
                ("Beta Retail", 1, "Oil Filter", 1.0, 60.0),
                ("Beta Retail", 2, "Brake Disc", 1.0, 50.0),
                ("Beta Retail", 3, "Spark Plug", 1.0, 50.0),
            ],
        )
        # 400 of Alpha's 600 of products.
        self.assertEqual(rows[0]["share"], 66.67)
        # Alpha's row opens its documents of the period with a Brake Disc:
        # the table's part of the domain and the row's.
        table = self._by_key(data["tables"])["top_products"]
        self.assertEqual(table["model"], "account.move")
        documents = self.env["account.move"].search(table["domain"] + rows[0]["_domain"])
        self.assertTrue(documents)
        self.assertEqual(documents.commercial_partner_id.name, "Alpha Motors")
        for document in documents:
            self.assertIn("Brake Disc", document.invoice_line_ids.product_id.mapped("name"))

    def test_other_company(self):
        """In the other company, Alpha's 999 alone."""
        data = self._data(user=self.accountant_2)
        ranking = self._ranking(data)
        self.assertEqual(list(ranking), ["Alpha Motors"])
        self.assertEqual(ranking["Alpha Motors"]["net_sales"], 999.0)

    def test_without_invoice_access(self):
        """A Customers user who may not read invoices sees the sales, not
        the margin nor the products, and cannot rank by margin."""
        self.assertFalse(self.env["account.move"].with_user(self.sales_user).has_access("read"))
        data = self._data(user=self.sales_user)
        self.assertEqual(self._ranking(data)["Alpha Motors"]["net_sales"], 600.0)
        self.assertNotIn("margin", self._by_key(data["cards"]))
        self.assertNotIn("top_products", self._by_key(data["tables"]))
        self.assertNotIn(
            "margin",
            [column["key"] for column in self._by_key(data["tables"])["ranking"]["columns"]],
        )
        with self.assertRaises(UserError):
            self._data(user=self.sales_user, rank_by="margin")

    def test_without_comparison(self):
        data = self._data(compare=False)
        columns = [column["key"] for column in self._by_key(data["tables"])["ranking"]["columns"]]
        self.assertNotIn("previous", columns)
        self.assertNotIn("change", columns)
        self.assertIsNone(self._by_key(data["cards"])["net_sales"]["previous"])
        self.assertEqual(
            [
                dataset["key"]
                for dataset in self._by_key(data["charts"])["by_customer_type"]["datasets"]
            ],
            ["cur"],
        )

    def test_xlsx_has_every_ranked_customer(self):
        """The XLSX's ranking sheet: every ranked customer with its net sales
        and class, and the total."""
        content, _format = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_xlsx(
                "sh_reports.report_customer_xlsx",
                [],
                data={"report": "sh.report.sales", "options": PERIOD},
            )
        )
        sheet = load_workbook(BytesIO(content))["Customers Ranked by Net Sales"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        customer, net_sales, abc = (
            header.index("Customer"),
            header.index("Net Sales"),
            header.index("ABC Class"),
        )
        self.assertEqual(
            [(row[customer], row[net_sales], row[abc]) for row in rows[1:5]],
            [
                ("Alpha Motors", 600.0, "A"),
                ("Beta Retail", 200.0, "A"),
                ("Gamma Fleet", 150.0, "B"),
                ("Delta Wholesale", 50.0, "C"),
            ],
        )
        self.assertEqual(rows[5][net_sales], 1000.0)

    def test_screen_rows_and_more_on_demand(self):
        """The screen asks for the first rows of each table and the next
        ones when the user wants them: the same rows, in the same order, as
        the whole table; each table says how many rows it has."""
        whole = self._data()
        first = self.Report.get_report_data(PERIOD, row_limit=2)
        for key in ("ranking", "top_products"):
            rows = self._rows(whole, key)
            table = self._by_key(first["tables"])[key]
            self.assertEqual(table["row_count"], len(rows))
            self.assertEqual(table["rows"], rows[:2])
            self.assertEqual(self.Report.get_report_rows(PERIOD, key, offset=2, limit=2), rows[2:4])
            self.assertEqual(self.Report.get_report_rows(PERIOD, key, offset=40, limit=2), [])
        self.assertEqual(self._by_key(whole["tables"])["ranking"]["row_count"], 4)
        self.assertEqual(self._by_key(whole["tables"])["top_products"]["row_count"], 5)
        # A window across two customers' products: Alpha's second, Beta's
        # first two.
        products = self._rows(whole, "top_products")
        self.assertEqual(
            self.Report.get_report_rows(PERIOD, "top_products", offset=1, limit=3), products[1:4]
        )
        # The cards and totals are those of every row, whatever is sent.
        self.assertEqual(
            self._by_key(first["tables"])["ranking"]["totals"],
            self._by_key(whole["tables"])["ranking"]["totals"],
        )
        self.assertEqual(first["cards"], whole["cards"])

    def test_bad_row_windows_are_refused(self):
        cases = [
            ({"table": "ranking", "offset": -1}, "from row 0 on"),
            ({"table": "ranking", "limit": 5001}, "at most 5000 rows"),
            ({"table": "ranking", "limit": "many"}, "whole numbers"),
            ({"table": "pirates"}, "This report has no table pirates"),
        ]
        for kwargs, message in cases:
            with self.subTest(kwargs=kwargs), self.assertRaisesRegex(UserError, message):
                self.Report.get_report_rows(PERIOD, **kwargs)
        with self.assertRaisesRegex(UserError, "at most 5000 rows"):
            self.Report.get_report_data(PERIOD, row_limit=-3)
