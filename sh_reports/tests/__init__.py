from . import test_clv_fit
