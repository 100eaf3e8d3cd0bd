from . import test_report_loyalty
from . import test_report_exports
