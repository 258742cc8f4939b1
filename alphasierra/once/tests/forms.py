"""Reading the forms of a rendered page as a browser would send them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self, button: str | None = None, **values: str) -> dict[str, str]:
        """What pressing ``button`` (a name; the first button without one by
        default) sends, with ``values`` typed over the rendered ones."""
        sent = dict(self.fields)
        if button is not None:
            sent[button] = dict(self.buttons)[button]
        sent.update(values)
        return sent


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((a["name"], a.get("value", "on")))
            elif kind == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
            else:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and "name" in a:
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            self._form.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def post_form(html: str, action: str) -> Form:
    found = [form for form in forms_of(html) if form.method == "post" and form.action == action]
    assert len(found) == 1, f"{len(found)} POST forms to {action}"
    return found[0]
