from . import test_interactions
from . import test_tasks
from . import test_templates
from . import test_access
from . import test_ui
from . import test_dashboard
from . import test_api
from . import test_merge
