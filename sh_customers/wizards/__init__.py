from . import sh_customer_archive_wizard
