from . import uninstall
