"""The demo retailer itself: its company (identity, layout, currency),
the Arabic language its customers speak, Odoo's sample partners set aside,
its journals and its products. Part of the demo generator (generator.py)."""

import base64

from odoo import Command
from odoo.tools import file_open

from .catalogue import (
    CATEGORIES,
    COMPANY,
    PRODUCTS,
    SAR_PER_USD,
    SH_ADDONS,
)


class RetailerSetup:
    """The company, language, journals and products the demo customers buy
    from; mixed into :class:`~.generator.CustomerDemoGenerator`."""

    def _demo_company(self, company):
        """Give ``company`` the retailer's identity and a document layout,
        so that the first print does not stop at the layout dialog. Its
        currency becomes the Saudi riyal only while it has no journal entry
        (a database created for Saudi Arabia has it already)."""
        ref = self.env.ref
        with file_open(COMPANY["logo"], "rb") as logo:
            logo = base64.b64encode(logo.read())
        company.write(
            {
                **{
                    key: COMPANY[key]
                    for key in (
                        "name",
                        "street",
                        "street2",
                        "city",
                        "zip",
                        "phone",
                        "email",
                        "website",
                        "vat",
                        "company_registry",
                        "report_header",
                        "primary_color",
                        "secondary_color",
                    )
                },
                "state_id": ref(COMPANY["state"]).id,
                "country_id": ref(COMPANY["country"]).id,
                "logo": logo,
                "paperformat_id": ref(COMPANY["paperformat"]).id,
            }
        )
        sar = ref("base.SAR")
        if company.currency_id != sar and not self.env["account.move.line"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            sar.active = True
            company.currency_id = sar
        # What the document layout dialog saves: the layout, and the
        # address block and footer it fills from the company.
        layout = self.env["base.document.layout"].with_company(company)
        company.write(
            {
                "external_report_layout_id": ref(COMPANY["layout"]).id,
                "company_details": layout._default_company_details(),
                "report_footer": layout._default_report_footer(),
            }
        )
        admin = ref("base.user_admin", raise_if_not_found=False)
        if admin:
            admin.tz = COMPANY["tz"]

    def _demo_arabic(self):
        """The Arabic language, installed with its translations if it is
        not yet: the customers who speak it get their documents in it."""
        if not self._arabic_lang():
            lang_model = self.env["res.lang"]
            lang = lang_model._activate_lang("ar_001") or lang_model._create_lang("ar_001")
            self.env["base.language.install"].create(
                {"lang_ids": [Command.set(lang.ids)], "overwrite": False}
            ).lang_install()

    def _demo_set_aside_sample_customers(self):
        """Odoo's own sample partners (Azure Interior, Deco Addict...) are
        no customers of an auto-parts retailer: no longer ranked as
        customers, they stay out of the Customers app."""
        samples = self.env["ir.model.data"].search(
            [("model", "=", "res.partner"), ("module", "not in", SH_ADDONS)]
        )
        partners = self.env["res.partner"].browse(samples.mapped("res_id")).exists()
        partners -= self.env["res.company"].search([]).partner_id
        partners.filtered("customer_rank").customer_rank = 0

    def _price_scale(self, company):
        """What a price in Saudi riyals is worth in the company's currency."""
        if company.currency_id == self.env.ref("base.USD"):
            return 1 / SAR_PER_USD
        return 1.0

    # ------------------------------------------------------------------
    # Master data
    # ------------------------------------------------------------------

    def _demo_journals(self, company):
        domain = [("company_id", "=", company.id)]
        journal = self.env["account.journal"]
        sale = journal.search([*domain, ("type", "=", "sale")], limit=1)
        bank = journal.search([*domain, ("type", "=", "bank")], limit=1)
        cash = journal.search([*domain, ("type", "=", "cash")], limit=1) or bank
        if not (sale and bank):
            return {}
        return {"sale": sale, "bank": bank, "cash": cash}

    def _arabic_lang(self):
        codes = [code for code, _name in self.env["res.lang"].get_installed()]
        return next((code for code in codes if code.startswith("ar")), None)

    def _demo_products(self, scale=1.0):
        """The auto-parts catalogue, created once and found again by its
        XML ids; named in Arabic too when an Arabic language is installed;
        priced in riyals times ``scale``."""
        xmlids = [f"sh_customers.sh_demo_product_{code.lower()}" for code, *_rest in PRODUCTS]
        if self.env.ref(xmlids[0], raise_if_not_found=False):
            return self.env["product.product"].browse([self.env.ref(xmlid).id for xmlid in xmlids])
        arabic = self._arabic_lang()
        parent = self.env["product.category"].create({"name": "Auto Parts / قطع غيار السيارات"})
        categories = self.env["product.category"].create(
            # Category names are not translatable: both languages, as on shop labels.
            [{"name": f"{name} / {ar}", "parent_id": parent.id} for _key, name, ar in CATEGORIES]
        )
        category_ids = {
            key: category.id for (key, *_n), category in zip(CATEGORIES, categories, strict=True)
        }
        products = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": code,
                    "type": "consu",
                    "categ_id": category_ids[categ],
                    "list_price": round(price * scale, 2),
                    "standard_price": round(cost * scale, 2),
                    "sale_ok": True,
                }
                for code, name, _ar, categ, price, cost, _qty in PRODUCTS
            ]
        )
        if arabic:
            for product, (_code, _name, ar_name, *_rest) in zip(products, PRODUCTS, strict=True):
                product.product_tmpl_id.update_field_translations("name", {arabic: ar_name})
        self.env["ir.model.data"].create(
            [
                {
                    "module": "sh_customers",
                    "name": xmlid.split(".")[1],
                    "model": "product.product",
                    "res_id": product.id,
                    "noupdate": True,
                }
                for product, xmlid in zip(products, xmlids, strict=True)
            ]
        )
        return products
