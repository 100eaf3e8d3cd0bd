from . import test_message_values
from . import test_merge_everything
