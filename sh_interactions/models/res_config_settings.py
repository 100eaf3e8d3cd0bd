from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sh_whatsapp_phone_number_id = fields.Char(
        related="company_id.sh_whatsapp_phone_number_id", readonly=False
    )
    sh_whatsapp_token = fields.Char(related="company_id.sh_whatsapp_token", readonly=False)
    sh_whatsapp_api_url = fields.Char(related="company_id.sh_whatsapp_api_url", readonly=False)
