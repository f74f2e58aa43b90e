"""The errors that are the user's to fix: the CLI prints them (Danish) and exits non-zero."""

from tui.core.dates import DateError
from tui.core.exchange import PlanFileError
from tui.core.plan import ValueRefused
from tui.core.templates import TemplateError
from tui.core.workspace import LookupFailed
from tui.store.errors import StoreError

USER_ERRORS = (StoreError, LookupFailed, TemplateError, PlanFileError, ValueRefused, DateError)
