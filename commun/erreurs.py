"""The refusal of an action, shared by every app."""


class ActionRefusee(Exception):
    """A refused action: `messages` are French and say what and where; nothing was written."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages

    def au_formulaire(self, form) -> None:
        """Show the refusal on the form that asked for the action, as errors of the whole form."""
        for message in self.messages:
            form.add_error(None, message)
