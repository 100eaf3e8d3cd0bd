from . import test_report_debt_contacts
