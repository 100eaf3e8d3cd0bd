from . import test_customer_stats
from . import test_customer_kpis
from . import test_customer_access
from . import test_translations
from . import test_reports
from . import test_ui
from . import test_demo_data
from . import test_dashboard
