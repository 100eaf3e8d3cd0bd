from . import customer_report
from . import customer_report_xlsx
