from . import test_clv_fit
from . import test_clv_summary
