from . import sh_interaction_quick_log
from . import sh_communication_send
