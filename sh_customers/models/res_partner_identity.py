"""The keys a customer is recognised by across spellings (``tools.identity``),
stored and indexed: the import matches existing customers on them and the
duplicate finder compares customers by them, both in SQL."""

from odoo import api, fields, models

from ..tools import identity


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    sh_mobile_key = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_sh_identity_keys",
        store=True,
        index="btree_not_null",
        help="The mobile number in international form (+9665...), read with the rules of the "
        "customer's country, or of the company's without one. Empty when the number is not "
        "valid.",
    )
    sh_phone_key = fields.Char(
        string="Phone (E.164)",
        compute="_compute_sh_identity_keys",
        store=True,
        index="btree_not_null",
        help="The phone number in international form, as the mobile's.",
    )
    sh_email_key = fields.Char(
        string="E-mail (Normalised)",
        compute="_compute_sh_identity_keys",
        store=True,
        index="btree_not_null",
        help="The e-mail address in lower case; empty when it is not an address.",
    )
    sh_vat_key = fields.Char(
        string="Tax ID (Normalised)",
        compute="_compute_sh_identity_keys",
        store=True,
        index="btree_not_null",
        help="The tax ID in capitals, without spaces, dots or dashes.",
    )
    sh_name_key = fields.Char(
        string="Name (Folded)",
        compute="_compute_sh_identity_keys",
        store=True,
        help="The name folded so that its spellings meet: Arabic diacritics and tatweel "
        "dropped, alef forms, taa marbuta and alef maqsura unified, Latin letters in lower "
        "case without accents, punctuation and repeated spaces removed.",
    )

    @api.depends("mobile", "phone", "email", "vat", "name", "country_id", "company_id")
    def _compute_sh_identity_keys(self):
        default_country = self.env.company.country_id
        for partner in self:
            country = (partner.country_id or partner.company_id.country_id or default_country).code
            partner.sh_mobile_key = identity.safe_phone_key(partner.mobile, country)
            partner.sh_phone_key = identity.safe_phone_key(partner.phone, country)
            partner.sh_email_key = identity.email_key(partner.email)
            partner.sh_vat_key = identity.vat_key(partner.vat)
            partner.sh_name_key = identity.name_key(partner.name)
