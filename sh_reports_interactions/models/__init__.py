from . import sh_report_debt
