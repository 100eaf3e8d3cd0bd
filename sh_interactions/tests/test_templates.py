from urllib.parse import quote

from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.sms.tests.common import MockSMS

from .common import ShInteractionsCommon

EN = {
    "payment_reminder": (
        "Payment reminder from {company}",
        (
            "Dear {name}, your balance with {company} is {debt}, of which {overdue} is overdue. "
            "Please settle the overdue amount at your earliest convenience. Thank you."
        ),
    ),
    "thank_you": (
        "Thank you for your purchase",
        (
            "Dear {name}, thank you for your purchase {invoice}. "
            "We look forward to serving you again at {company}."
        ),
    ),
    "points_expiring": (
        "Your loyalty points are about to expire",
        (
            "Dear {name}, you have {points} loyalty points with {company} and some of them expire "
            "soon. Use them on your next purchase."
        ),
    ),
    "tier_upgrade": (
        "Welcome to your new loyalty tier",
        (
            "Congratulations {name}! You have been upgraded to our {tier}loyalty tier. "
            "Enjoy its benefits at {company}."
        ),
    ),
    "win_back": (
        "We miss you at {company}",
        (
            "Dear {name}, we have not seen you for a while and we miss you. Visit us again: our "
            "team at {company} is ready to help with the parts you need."
        ),
    ),
}
AR = {
    "payment_reminder": (
        "تذكير بالسداد من {company}",
        (
            "عزيزنا {name}، رصيدكم لدى {company} هو {debt}، منها {overdue} متأخر السداد. "
            "نرجو سداد المبلغ المتأخر في أقرب وقت ممكن. شكراً لكم."
        ),
    ),
    "thank_you": (
        "شكراً لشرائكم",
        "عزيزنا {name}، شكراً لشرائكم {invoice}. يسعدنا خدمتكم مجدداً في {company}.",
    ),
    "points_expiring": (
        "نقاط الولاء الخاصة بكم على وشك الانتهاء",
        (
            "عزيزنا {name}، لديكم {points} نقطة ولاء لدى {company} وبعضها سينتهي قريباً. "
            "استخدموها في مشترياتكم القادمة."
        ),
    ),
    "tier_upgrade": (
        "مرحباً بكم في فئة الولاء الجديدة",
        "تهانينا {name}! تمت ترقيتكم إلى فئة الولاء {tier}لدينا. استمتعوا بمزاياها في {company}.",
    ),
    "win_back": (
        "اشتقنا إليكم في {company}",
        (
            "عزيزنا {name}، لم نركم منذ فترة واشتقنا إليكم. زورونا مجدداً: فريقنا في {company} "
            "جاهز لمساعدتكم في قطع الغيار التي تحتاجونها."
        ),
    ),
}


@tagged("post_install", "-at_install")
class TestTemplates(ShInteractionsCommon, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.env["ir.module.module"]._load_module_terms(
            ["sh_interactions"], ["ar_001"], overwrite=True
        )
        # Accountants see the debt the payment reminder shows.
        cls.sales_user.groups_id |= cls.env.ref("account.group_account_invoice")
        cls.garage.lang = "en_US"
        cls.amal = cls._customer(
            "ورشة الأمل", is_company=True, lang="ar_001", phone="0501112233", country_id=False
        )
        cls.silent = cls._customer("No Contact Parts", is_company=True, lang="en_US")
        cls.templates = {
            purpose: cls.env.ref(f"sh_interactions.sh_communication_template_{purpose}")
            for purpose in EN
        }

    @freeze_time("2026-03-10 10:00:00")
    def test_render_each_template_in_english_and_arabic(self):
        """Every shipped template, in the customer's language, with the
        customer's name, debt, overdue amount and last invoice; no points
        and no tier (the test's company has no loyalty program)."""
        self._invoice(self.garage, 1000.0, "2026-01-10", taxes=self.tax_15)
        self._invoice(
            self.garage, 200.0, "2026-03-01", taxes=self.tax_15, invoice_date_due="2026-04-01"
        )
        last_en = self.env["account.move"].search(
            [("partner_id", "=", self.garage.id)], order="invoice_date desc", limit=1
        )
        last_ar = self._invoice(self.amal, 500.0, "2026-02-15")
        company = self.env.company.name
        expected = {
            self.garage: (
                EN,
                {
                    "name": "Al Noor Garage",
                    "company": company,
                    "debt": "$\xa01,380.00",
                    "overdue": "$\xa01,150.00",
                    "invoice": f"{last_en.name} of 03/01/2026, $\xa0230.00",
                    "points": "0",
                    "tier": "",
                },
            ),
            self.amal: (
                AR,
                {
                    "name": "ورشة الأمل",
                    "company": company,
                    "debt": "$\xa0500.00",
                    "overdue": "$\xa0500.00",
                    "invoice": f"{last_ar.name} بتاريخ 15 فبراير, 2026، $\xa0500.00",
                    "points": "0",
                    "tier": "",
                },
            ),
        }
        partners = (self.garage | self.amal).with_user(self.sales_user)
        for purpose, template in self.templates.items():
            messages = template.with_user(self.sales_user)._render_messages(partners)
            for partner, (texts, values) in expected.items():
                subject, body = (text.format(**values) for text in texts[purpose])
                self.assertEqual(
                    messages[partner.id],
                    {"subject": subject, "body": body},
                    f"{purpose} for {partner.name}",
                )

    @freeze_time("2026-03-10 10:00:00")
    def test_send_by_email_sms_and_whatsapp(self):
        reminder = self.templates["thank_you"].with_user(self.sales_user)
        partner = self.garage.with_user(self.sales_user)
        reminder._send(partner, "email")
        message = self.garage.message_ids[0]
        self.assertEqual(message.subject, "Thank you for your purchase")
        self.assertIn("Dear Al Noor Garage, thank you for your purchase.", message.body)
        self.assertEqual(message.author_id, self.sales_user.partner_id)
        self.assertEqual(message.notification_ids.res_partner_id, self.garage)
        self.assertEqual(message.notification_ids.notification_type, "email")

        with self.mockSMSGateway():
            reminder._send(partner, "sms")
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self._sms[0]["number"], "+966501234567")
        self.assertTrue(self._sms[0]["body"].startswith("Dear Al Noor Garage, thank you"))

        wizard = Form(
            self.env["sh.communication.send"]
            .with_user(self.sales_user)
            .with_context(**partner.action_sh_send_message()["context"])
        )
        wizard.template_id = reminder
        wizard.channel = "whatsapp"
        action = wizard.save().action_send()
        body = reminder._render_messages(self.garage)[self.garage.id]["body"]
        self.assertEqual(action["url"], f"https://wa.me/966501234567?text={quote(body)}")

        interactions = self.garage.sh_interaction_ids
        self.assertEqual(sorted(interactions.mapped("channel")), ["email", "sms", "whatsapp"])
        self.assertEqual(set(interactions.mapped("outcome")), {"message_sent"})
        self.assertEqual(set(interactions.mapped("subject")), {"Thank you for your purchase"})
        self.assertEqual(interactions.user_id, self.sales_user)

    def test_bulk_send_skips_customers_without_a_number(self):
        """A bulk SMS from the customer list: a preview per customer, the
        customers without a number skipped and reported, the others sent
        and logged."""
        partners = self.garage | self.amal | self.silent
        Wizard = self.env["sh.communication.send"].with_user(self.sales_user)
        wizard_form = Form(Wizard.with_context(active_model="res.partner", active_ids=partners.ids))
        wizard_form.template_id = self.templates["win_back"]
        wizard_form.channel = "sms"
        wizard = wizard_form.save()
        self.assertEqual(wizard.partner_ids, partners)
        lines = {line["partner"]: line for line in wizard._preview_lines()}
        self.assertEqual(lines[self.garage]["recipient"], "+966501234567")
        self.assertTrue(lines[self.amal]["body"].startswith("عزيزنا ورشة الأمل، لم نركم"))
        self.assertEqual(lines[self.silent]["skip_reason"], "No mobile or phone number")
        self.assertIn("No mobile or phone number", wizard.preview_html)
        self.assertIn("Dear Al Noor Garage", wizard.preview_html)

        with self.mockSMSGateway():
            wizard.action_send()
        self.assertEqual(len(self._sms), 2)
        self.assertEqual(wizard.state, "done")
        self.assertIn("Sent: 2", wizard.report_html)
        self.assertIn("No Contact Parts", wizard.report_html)
        self.assertIn("Skipped: 1", wizard.report_html)
        self.assertEqual(len(self.garage.sh_interaction_ids), 1)
        self.assertEqual(len(self.amal.sh_interaction_ids), 1)
        self.assertEqual(self.amal.sh_interaction_ids.channel, "sms")
        self.assertFalse(self.silent.sh_interaction_ids)

        # By e-mail, the customer without an address is the one skipped.
        wizard = Wizard.create(
            {
                "partner_ids": [(6, 0, partners.ids)],
                "template_id": self.templates["thank_you"].id,
                "channel": "email",
            }
        )
        wizard.action_send()
        self.assertIn("Sent: 1", wizard.report_html)
        self.assertIn("ورشة الأمل", wizard.report_html)
        self.assertIn("No e-mail address", wizard.report_html)
        self.assertEqual(len(self.garage.sh_interaction_ids), 2)
        self.assertEqual(len(self.amal.sh_interaction_ids), 1)

    def test_bulk_send_is_offered_on_the_customer_list(self):
        action = self.env.ref("sh_interactions.sh_communication_send_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")

    def test_customer_and_contact_in_one_send(self):
        """Sent at once to a customer and its contact, each message reads
        the figures of the customer, the contact's under its own name."""
        values = (self.garage | self.contact)._sh_message_values()
        names = {
            partner.name: (values[partner.id]["name"], values[partner.id]["customer_name"])
            for partner in self.garage | self.contact
        }
        self.assertEqual(
            names,
            {
                "Al Noor Garage": ("Al Noor Garage", "Al Noor Garage"),
                "Khalid": ("Khalid", "Al Noor Garage"),
            },
        )
