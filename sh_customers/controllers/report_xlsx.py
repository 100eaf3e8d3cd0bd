from odoo.http import content_disposition, request, route

from odoo.addons.report_xlsx.controllers.main import ReportController

CUSTOMER_LIST_XLSX = "sh_customers.customer_list_xlsx"


class ShCustomersReportController(ReportController):
    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        response = super().report_routes(reportname, docids, converter, **data)
        if converter == "xlsx" and reportname == CUSTOMER_LIST_XLSX:
            # "Customers 2026-12-05.xlsx" rather than the print menu's label.
            filename = request.env["report.sh_customers.customer_list_xlsx"]._sh_filename()
            response.headers["Content-Disposition"] = content_disposition(filename)
        return response
