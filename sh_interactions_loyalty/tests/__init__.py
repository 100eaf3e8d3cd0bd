from . import test_message_values
