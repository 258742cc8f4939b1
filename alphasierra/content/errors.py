"""What the content services refuse, with the French message a person reads."""

from django.utils.functional import Promise


class ContentStateError(Exception):
    """The version or the page is no longer in a state that allows this
    action (another manager, or another tab, acted first): nothing was done.
    ``code`` for tests, ``message`` for the person."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
