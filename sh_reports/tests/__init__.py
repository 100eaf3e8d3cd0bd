from . import test_clv_fit
from . import test_clv_nightly
from . import test_clv_summary
from . import test_report_analytics
from . import test_report_clv
from . import test_report_debt
from . import test_report_debt_oca
from . import test_report_sales
