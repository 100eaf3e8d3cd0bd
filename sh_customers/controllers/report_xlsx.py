from odoo.http import content_disposition, request, route

from odoo.addons.report_xlsx.controllers.main import ReportController

CUSTOMER_LIST_XLSX = "sh_customers.customer_list_xlsx"
CUSTOMER_IMPORT_XLSX = "sh_customers.customer_import_xlsx"


class ShCustomersReportController(ReportController):
    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        response = super().report_routes(reportname, docids, converter, **data)
        if converter == "xlsx" and reportname in (CUSTOMER_LIST_XLSX, CUSTOMER_IMPORT_XLSX):
            # "Customers 2026-12-05.xlsx" rather than the print menu's label.
            filename = request.env[f"report.{reportname}"]._sh_filename()
            response.headers["Content-Disposition"] = content_disposition(filename)
        return response
