from . import sh_report_wizard
