from . import test_report_loyalty
