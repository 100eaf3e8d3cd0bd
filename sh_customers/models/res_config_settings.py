from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sh_rfm_window_months = fields.Integer(related="company_id.sh_rfm_window_months", readonly=False)
    sh_new_customer_days = fields.Integer(related="company_id.sh_new_customer_days", readonly=False)
    sh_churn_days = fields.Integer(related="company_id.sh_churn_days", readonly=False)
    sh_at_risk_gap_factor = fields.Float(related="company_id.sh_at_risk_gap_factor", readonly=False)
    sh_at_risk_p_alive = fields.Float(related="company_id.sh_at_risk_p_alive", readonly=False)
    sh_archive_suggest_days = fields.Integer(
        related="company_id.sh_archive_suggest_days", readonly=False
    )
