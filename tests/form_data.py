"""What a browser would submit from a page's form, for tests that post it back."""

from bs4 import BeautifulSoup


def form_data(response, fields=None, *, index=-1, **changes):
    """The fields of the page's ``index``-th ``<form method="post">`` as sent.

    Hidden and text inputs, textareas, the selected option of each select and
    the checked radios and checkboxes, as a browser sends them untouched;
    ``fields`` (a dict, for names that are not identifiers) and ``changes``
    then set fields (a list for several values, None to leave a field out).
    Returns a dict for ``client.post``.
    """
    soup = BeautifulSoup(response.content, "html.parser")
    forms = soup.find_all("form", method="post")
    form = forms[index]
    data = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if element.name == "textarea":
            add(name, element.text.removeprefix("\n"))
        elif element.name == "select":
            for option in element.find_all("option"):
                if option.has_attr("selected"):
                    add(name, option.get("value", option.text))
        elif element.get("type") in ("radio", "checkbox"):
            if element.has_attr("checked"):
                add(name, element.get("value", "on"))
        elif element.get("type") not in ("submit", "button", "file"):
            add(name, element.get("value", ""))
    sent = {
        name: values if len(values) > 1 else values[0] for name, values in data.items()
    }
    for name, value in {**(fields or {}), **changes}.items():
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    return sent
