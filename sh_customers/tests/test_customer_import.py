"""The bulk import's rows: each row's outcome and reasons in a dry run,
what is written in each mode, matches with the existing customers on their
normalised keys, and who may import."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShCustomersCommon

MANAGER_GROUPS = "sh_customers.sh_customers_group_manager,base.group_partner_manager"
SNAPSHOT_FIELDS = [
    "name",
    "sh_customer_code",
    "sh_customer_type",
    "mobile",
    "phone",
    "email",
    "vat",
    "user_id",
    "country_id",
]


class ShCustomerImportCommon(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.saudi = cls.env.ref("base.sa")
        cls.env.company.country_id = cls.saudi
        cls.manager = cls._company_user("import_manager", MANAGER_GROUPS, name="Mona Manager")
        cls.seller = cls._company_user(
            "samir.sales", "sh_customers.sh_customers_group_user", name="Samir Sales"
        )
        with freeze_time("2026-03-01"):
            cls.garage = cls._customer(
                "Garage Al Noor",
                mobile="+966 50 111 2222",
                email="Noor@Garage.example",
                vat="300 000 000 000 003",
                sh_customer_type="workshop",
                customer_rank=1,
            )
            cls.fleet = cls._customer(
                "Fleet Co", email="ops@fleet.example", customer_rank=1, sh_customer_type="fleet"
            )

    def _import(self, rows, user=None, **kwargs):
        Import = self.env["sh.customer.import"].with_user(user or self.manager)
        return Import._sh_import_rows(rows, **kwargs)

    def _snapshot(self):
        """Every customer with the values an import could change."""
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("parent_id", "=", False)], order="id")
        )
        return [
            (partner.id, *(partner[fname] for fname in SNAPSHOT_FIELDS)) for partner in partners
        ]

    def _outcomes(self, result):
        return [(row["row"], row["outcome"], row["reasons"]) for row in result["rows"]]


@tagged("post_install", "-at_install")
class TestCustomerImport(ShCustomerImportCommon):
    def _file_rows(self):
        return [
            # 1: new, an Arabic name and Arabic-Indic digits
            {"name": "  وَرشة   الأمل ", "mobile": "٠٥٠٣٣٣٤٤٤٤", "sh_customer_type": "Workshop"},
            # 2: bad e-mail
            {"name": "Bad Mail", "email": "not-an-address"},
            # 3: bad mobile
            {"name": "Bad Mobile", "mobile": "12"},
            # 4: unknown type and unknown salesperson
            {"name": "Unknowns", "sh_customer_type": "vip", "user_id": "nobody"},
            # 5: no name
            {"name": " ", "mobile": "0504445555"},
            # 6: the same mobile as row 1, written otherwise
            {"name": "Hope again", "mobile": "+966503334444"},
            # 7: Garage Al Noor by its mobile, written locally
            {"name": "Garage Al Noor", "mobile": "0501112222", "city": "Riyadh"},
            # 8: Fleet Co by its e-mail in capitals
            {"name": "Fleet Company", "email": "OPS@FLEET.EXAMPLE", "user_id": "samir.sales"},
            # 9: new, with a salesperson by name and a phone
            {"name": "Sara", "phone": "011 234 5678", "user_id": "Samir Sales"},
        ]

    def test_dry_run_shows_every_row_and_writes_nothing(self):
        before = self._snapshot()
        result = self._import(self._file_rows(), dry_run=True, first_row=2)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(
            self._outcomes(result),
            [
                (2, "created", []),
                (3, "rejected", ['The e-mail "not-an-address" is not a valid address.']),
                (4, "rejected", ['The mobile "12" is not a valid number.']),
                (
                    5,
                    "rejected",
                    [
                        (
                            'Unknown customer type "vip": use one of Retail, Workshop, Fleet, '
                            "Wholesale."
                        ),
                        'Unknown salesperson "nobody": give the login of a user of the company.',
                    ],
                ),
                (6, "rejected", ["The name is missing."]),
                (7, "rejected", ["Duplicate of row 2 (same Mobile)."]),
                (8, "updated", []),
                (9, "updated", []),
                (10, "created", []),
            ],
        )
        self.assertEqual(
            result["counts"], {"created": 2, "updated": 2, "skipped": 0, "rejected": 5}
        )
        self.assertEqual(
            [row["id"] for row in result["rows"][6:8]], [self.garage.id, self.fleet.id]
        )
        self.assertFalse(result["applied"])
        self.assertEqual((result["created_ids"], result["updated_ids"]), ([], []))

    def test_valid_only_writes_the_valid_rows(self):
        count = self.env["res.partner"].search_count([])
        result = self._import(self._file_rows(), dry_run=False, mode="valid_only")
        self.assertTrue(result["applied"])
        self.assertEqual(
            result["counts"], {"created": 2, "updated": 2, "skipped": 0, "rejected": 5}
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count + 2)
        hope, sara = self.env["res.partner"].browse(result["created_ids"])
        self.assertEqual([row["id"] for row in result["rows"]][::8], [hope.id, sara.id])
        # The name as written, spaces tidied; the number as E.164.
        self.assertEqual(
            (hope.name, hope.mobile, hope.sh_mobile_key, hope.sh_customer_type),
            ("وَرشة الأمل", "+966503334444", "+966503334444", "workshop"),
        )
        # The codes come from the customer code sequence, one after the other.
        self.assertRegex(hope.sh_customer_code, r"^C\d{5}$")
        self.assertEqual(int(sara.sh_customer_code[1:]), int(hope.sh_customer_code[1:]) + 1)
        following = self._customer("Next Customer")
        self.assertEqual(int(following.sh_customer_code[1:]), int(sara.sh_customer_code[1:]) + 1)
        self.assertEqual(hope.customer_rank, 1)
        self.assertEqual((sara.phone, sara.user_id), ("+966112345678", self.seller))
        self.assertEqual(sara.sh_customer_type, "retail")
        self.assertEqual(result["updated_ids"], [self.garage.id, self.fleet.id])
        # Matched customers take the row's filled values; the others stay.
        self.assertEqual(
            (self.garage.name, self.garage.city, self.garage.mobile, self.garage.vat),
            ("Garage Al Noor", "Riyadh", "+966501112222", "300 000 000 000 003"),
        )
        self.assertEqual(
            (self.fleet.name, self.fleet.email, self.fleet.user_id),
            ("Fleet Company", "ops@fleet.example", self.seller),
        )
        # None of the rejected rows became a customer.
        self.assertFalse(
            self.env["res.partner"].search(
                [("name", "in", ["Bad Mail", "Bad Mobile", "Unknowns", "Hope again"])]
            )
        )

    def test_all_or_nothing_with_one_bad_row_writes_nothing(self):
        rows = [
            {"name": "Good One", "mobile": "0505556666"},
            {"name": "Garage Al Noor", "mobile": "0501112222", "city": "Jeddah"},
            {"name": "Bad One", "email": "bad@"},
        ]
        before = self._snapshot()
        result = self._import(rows, dry_run=False, mode="all_or_nothing")
        self.assertEqual(self._snapshot(), before)
        self.assertFalse(result["applied"])
        self.assertEqual(
            self._outcomes(result),
            [
                (1, "created", []),
                (2, "updated", []),
                (3, "rejected", ['The e-mail "bad@" is not a valid address.']),
            ],
        )
        self.assertEqual((result["created_ids"], result["updated_ids"]), ([], []))
        self.assertIsNone(result["rows"][0]["id"])
        # Without the bad row, the same import writes both.
        result = self._import(rows[:2], dry_run=False, mode="all_or_nothing")
        self.assertTrue(result["applied"])
        self.assertEqual(len(result["created_ids"]), 1)
        self.assertEqual(self.garage.city, "Jeddah")

    def test_matches_on_each_key_update_or_skip(self):
        coded = self._customer("Coded", customer_rank=1, sh_customer_code="LEGACY-7")
        rows = [
            {"sh_customer_code": "LEGACY-7", "name": "Coded Renamed"},
            {"name": "Al Noor by tax ID", "vat": "300-000-000-000-003"},
            {"name": "Fleet by e-mail", "email": " ops@fleet.example "},
        ]
        before = self._snapshot()
        result = self._import(rows, dry_run=False, mode="valid_only", on_match="skip")
        self.assertEqual(
            [(row["outcome"], row["id"]) for row in result["rows"]],
            [("skipped", coded.id), ("skipped", self.garage.id), ("skipped", self.fleet.id)],
        )
        self.assertTrue(result["applied"])
        self.assertEqual(self._snapshot(), before)

        result = self._import(rows, dry_run=False, mode="valid_only", on_match="update")
        self.assertEqual(
            [(row["outcome"], row["id"]) for row in result["rows"]],
            [("updated", coded.id), ("updated", self.garage.id), ("updated", self.fleet.id)],
        )
        self.assertEqual(
            (coded.name, self.garage.name, self.garage.vat, self.fleet.name),
            ("Coded Renamed", "Al Noor by tax ID", "300000000000003", "Fleet by e-mail"),
        )
        # A row matched by another key does not change the customer's code.
        code = self.fleet.sh_customer_code
        result = self._import(
            [{"sh_customer_code": "NEW-1", "name": "Fleet Co", "email": "ops@fleet.example"}],
            dry_run=False,
        )
        self.assertEqual(result["updated_ids"], [self.fleet.id])
        self.assertEqual((self.fleet.sh_customer_code, self.fleet.name), (code, "Fleet Co"))

    def test_a_row_matching_two_customers_is_rejected(self):
        rows = [
            {"name": "Mixed", "mobile": "0501112222", "email": "ops@fleet.example"},
            {"name": "Noor twice", "email": "noor@garage.example"},
        ]
        count = self.env["res.partner"].search_count([])
        result = self._import(rows, dry_run=False, mode="valid_only")
        self.assertEqual(
            self._outcomes(result),
            [
                (
                    1,
                    "rejected",
                    ["Matches several customers: Garage Al Noor (Mobile), Fleet Co (Email)."],
                ),
                (2, "updated", []),
            ],
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertEqual((self.garage.name, self.fleet.name), ("Noor twice", "Fleet Co"))

    def test_two_rows_matching_one_customer(self):
        rows = [
            {"name": "Noor by mobile", "mobile": "0501112222"},
            {"name": "Noor by e-mail", "email": "noor@garage.example"},
        ]
        result = self._import(rows, dry_run=True)
        self.assertEqual(
            self._outcomes(result),
            [
                (1, "updated", []),
                (
                    2,
                    "rejected",
                    ["Duplicate of row 1: both match the customer Garage Al Noor."],
                ),
            ],
        )

    def test_only_customers_managers_import(self):
        rows = [{"name": "Sneaky", "mobile": "0507778888"}]
        outsider = self._outsider("import_outsider")
        before = self._snapshot()
        for user in (self.seller, outsider):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(
                    AccessError, "^Only Customers managers may import customers.$"
                ):
                    self._import(rows, user=user, dry_run=False, mode="valid_only")
                self.assertEqual(self._snapshot(), before)

    def test_bad_arguments_are_refused(self):
        before = self._snapshot()
        cases = [
            ([], {}, "There is no row to import."),
            ({"name": "x"}, {}, "The rows must be a list."),
            (["x"], {}, "Row 1 is not a set of columns."),
            (
                [{"name": "x"}, {"name": "y", "colour": "red"}],
                {},
                (
                    "Row 2 has unknown columns: colour. The columns are: sh_customer_code, name, "
                    "sh_customer_type, mobile, phone, email, vat, user_id, street, city, zip, "
                    "country_id."
                ),
            ),
            ([{"name": "x"}], {"mode": "some"}, "Unknown import mode: some."),
            ([{"name": "x"}], {"on_match": "merge"}, "Unknown choice for matches: merge."),
        ]
        for rows, kwargs, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(UserError) as caught:
                    self._import(rows, dry_run=False, **kwargs)
                self.assertEqual(caught.exception.args[0], message)
        self.assertEqual(self._snapshot(), before)

    def test_values_of_the_wrong_kind(self):
        rows = [
            {"name": "Numbers", "mobile": 966509990000, "zip": 12345},
            {"name": ["a list"]},
            {"name": "Ctrl\x07"},
            {"name": "Long", "city": "x" * 300},
            {"name": "Abroad", "mobile": "06 12 34 56 78", "country_id": "France"},
            {"name": "Nowhere", "country_id": "Atlantis"},
            {"name": "Bad phone", "phone": "+966 1"},
        ]
        result = self._import(rows, dry_run=True)
        self.assertEqual(
            self._outcomes(result),
            [
                (1, "created", []),
                (2, "rejected", ["Name must be text.", "The name is missing."]),
                (
                    3,
                    "rejected",
                    ["Name contains a character that is not allowed.", "The name is missing."],
                ),
                (4, "rejected", ["City is too long: at most 256 characters."]),
                (5, "created", []),
                (6, "rejected", ['Unknown country "Atlantis".']),
                (7, "rejected", ['The phone "+966 1" is not a valid number.']),
            ],
        )
        result = self._import(rows, dry_run=False, mode="valid_only")
        numbers, abroad = self.env["res.partner"].browse(result["created_ids"])
        self.assertEqual((numbers.mobile, numbers.zip), ("+966509990000", "12345"))
        self.assertEqual((abroad.mobile, abroad.country_id.code), ("+33612345678", "FR"))

    def test_only_the_companys_customers_are_matched(self):
        company_b = self._second_company(name="Branch B")
        other = self._customer("Other Branch Garage", mobile="0508889999", company_id=company_b.id)
        archived = self._customer("Old Garage", mobile="0507776666", active=False)
        rows = [
            {"name": "Garage of A", "mobile": "+966508889999"},
            {"name": "Old Garage renamed", "mobile": "0507776666"},
        ]
        result = self._import(rows, dry_run=False, mode="valid_only")
        # Branch B's customer is not the company's: a new customer. The
        # archived customer is matched and stays archived.
        self.assertEqual(
            [(row["outcome"], row["id"] == other.id) for row in result["rows"]],
            [("created", False), ("updated", False)],
        )
        self.assertEqual(result["updated_ids"], [archived.id])
        self.assertEqual((archived.name, archived.active), ("Old Garage renamed", False))
        self.assertEqual(other.name, "Other Branch Garage")

    def test_salesperson_by_login_or_unique_name(self):
        self._company_user("samir.two", "sh_customers.sh_customers_group_user", name="Samir Sales")
        rows = [
            {"name": "By name", "user_id": "Samir Sales"},
            {"name": "By login", "user_id": "SAMIR.SALES"},
        ]
        result = self._import(rows, dry_run=True)
        self.assertEqual(
            self._outcomes(result),
            [
                (1, "rejected", ['Several users are called "Samir Sales": give the login.']),
                (2, "created", []),
            ],
        )
