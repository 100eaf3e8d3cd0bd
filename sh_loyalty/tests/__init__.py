from . import test_earning
from . import test_tiers
from . import test_expiry
from . import test_redeem
from . import test_access
from . import test_ui
from . import test_dashboard
from . import test_api
