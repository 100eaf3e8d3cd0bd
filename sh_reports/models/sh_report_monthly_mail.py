"""The monthly e-mail of the customer reports: each customer manager who
opted in receives, for each of their companies, the reports they may open
for the month just closed, printed in their language as PDF and XLSX."""

import base64
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ShReportMonthlyMail(models.AbstractModel):
    _name = "sh.report.monthly.mail"
    _description = "Monthly Customer Reports E-mail"

    @api.model
    def _cron_send_monthly_reports(self):
        """Send the reports of the month before today to every manager who
        opted in."""
        today = fields.Date.context_today(self)
        month_end = today.replace(day=1) - relativedelta(days=1)
        managers = self.env["res.users"].search(
            [
                ("sh_report_monthly_email", "=", True),
                ("groups_id", "in", self.env.ref("sh_customers.sh_customers_group_manager").id),
                ("email", "!=", False),
            ]
        )
        for user in managers:
            for company in user.company_ids:
                self._sh_send_reports(user, company, month_end)

    @api.model
    def _sh_month_options(self, company, month_end):
        """The options of the reports of the month ending ``month_end``."""
        return {
            "period": "custom",
            "date_from": fields.Date.to_string(month_end.replace(day=1)),
            "date_to": fields.Date.to_string(month_end),
            "as_of": fields.Date.to_string(month_end),
            "company_id": company.id,
        }

    @api.model
    def _sh_report_models(self):
        """The reports of the e-mail: those of the options dialog."""
        return [key for key, _label in self.env["sh.report.wizard"]._fields["report"].selection]

    @api.model
    def _sh_send_reports(self, user, company, month_end):
        """E-mail ``user`` the reports of ``company`` for the month ending
        ``month_end`` that they may open, as they would print them."""
        env = self.with_user(user).with_company(company).with_context(lang=user.lang).env
        options = self._sh_month_options(company, month_end)
        attachments = []
        for report in self._sh_report_models():
            if not env[report]._sh_may_open_report():
                continue
            title = env[report]._sh_report_title()
            data = {"report": report, "options": options}
            name = f"{title} {fields.Date.to_string(month_end)[:7]}"
            actions = env["ir.actions.report"]
            pdf, _kind = actions._render_qweb_pdf("sh_reports.report_customer", data=data)
            xlsx, _kind = actions._render("sh_reports.report_customer_xlsx", None, data=data)
            attachments += [
                (f"{name}.pdf", base64.b64encode(pdf)),
                (f"{name}.xlsx", base64.b64encode(xlsx)),
            ]
        if not attachments:
            return
        template = self.env.ref("sh_reports.mail_template_monthly_reports")
        template.with_context(
            sh_company_name=company.name,
            sh_month=month_end,
        ).send_mail(user.id, email_values={"attachments": attachments})
        _logger.info(
            "Monthly customer reports of %s sent to %s (%s files)",
            company.name,
            user.login,
            len(attachments),
        )
