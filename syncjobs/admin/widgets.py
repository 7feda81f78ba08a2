"""Form widgets the admin's own forms share."""

from django import forms
from django.utils.html import format_html, format_html_join


class SuggestingTextInput(forms.TextInput):
    """A text box offering suggestions (an HTML ``datalist``) while accepting any value."""

    def __init__(self, suggestions, list_id, attrs=None):
        super().__init__({**(attrs or {}), "list": list_id, "autocomplete": "off"})
        self.suggestions = suggestions
        self.list_id = list_id

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((value, label) for value, label in self.suggestions())
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}">{}</datalist>', box, self.list_id, options)
