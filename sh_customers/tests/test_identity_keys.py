"""The keys a customer is recognised by: phone numbers as E.164 with the
country's rules and Arabic-Indic digits, e-mail and tax ID normalised, and
names folded across Arabic and Latin spellings."""

from odoo.tests import tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon
from odoo.addons.sh_customers.tools import identity


@tagged("post_install", "-at_install")
class TestIdentityKeys(ShCustomersCommon):
    def test_phone_numbers(self):
        cases = [
            ("0501234567", "SA", "+966501234567"),
            ("٠٥٠١٢٣٤٥٦٧", "SA", "+966501234567"),
            ("+966 50 123 4567", None, "+966501234567"),
            ("00966501234567", "FR", "+966501234567"),
            ("050-123-4567", "SA", "+966501234567"),
            ("01 23 45 67 89", "FR", "+33123456789"),
        ]
        for number, country, expected in cases:
            with self.subTest(number=number):
                self.assertEqual(identity.phone_key(number, country), expected)
        self.assertIsNone(identity.phone_key("  ", "SA"))
        for bad in ("12", "abc", "+999 123"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                identity.phone_key(bad, "SA")
        self.assertIsNone(identity.safe_phone_key("12", "SA"))

    def test_names_emails_and_vat(self):
        self.assertEqual(identity.name_key("مُحَمَّد  أحمـــد"), identity.name_key("محمد احمد"))
        self.assertEqual(identity.name_key("إسلام"), identity.name_key("اسلام"))
        self.assertEqual(identity.name_key("آمنة"), "امنه")
        self.assertEqual(identity.name_key("مصطفى"), "مصطفي")
        self.assertEqual(identity.name_key("  José MÜLLER, Ltd. "), "jose muller ltd")
        self.assertIsNone(identity.name_key(" ,. "))
        self.assertEqual(identity.email_key(" Ali@Example.COM "), "ali@example.com")
        self.assertIsNone(identity.email_key("not an address"))
        self.assertEqual(identity.vat_key("300-012.345 6"), "3000123456")

    def test_stored_keys_follow_the_customer(self):
        saudi = self.env.ref("base.sa")
        customer = self._customer(
            "Garage الأمل",
            mobile="٠٥٠١٢٣٤٥٦٧",
            phone="12",
            email="Garage@Amal.SA",
            vat="300 123",
            country_id=saudi.id,
        )
        self.assertEqual(customer.sh_mobile_key, "+966501234567")
        self.assertFalse(customer.sh_phone_key, "A number that is not valid has no key.")
        self.assertEqual(customer.sh_email_key, "garage@amal.sa")
        self.assertEqual(customer.sh_vat_key, "300123")
        self.assertEqual(customer.sh_name_key, "garage الامل")
        self.assertEqual(customer.name, "Garage الأمل", "The name is kept as written.")
        customer.write({"mobile": "+966 55 000 1111", "name": "Garage Amal"})
        self.assertEqual(customer.sh_mobile_key, "+966550001111")
        self.assertEqual(customer.sh_name_key, "garage amal")
