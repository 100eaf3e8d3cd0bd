from . import api
from . import report_xlsx
