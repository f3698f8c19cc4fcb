"""The link between actions and the findings they answer, made from either side.

One feature serves two pages: an action's "Findings this action answers"
(``improvement:action_findings``) and a finding's "Actions answering this
finding" (``findings:finding_actions``, a findings URL whose page the plan
app serves through ``findings.answers``). Both pages use the same form rules
and the same steps:

* ids are checked, never trusted; strengths need no action, so they are never
  offered;
* "Remove" opens a confirmation page (a GET with ``remove``); only its button,
  which posts ``confirm``, removes the link;
* links are made from the action's side, so the action's history records them.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from findings.models import Finding
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.permissions import can_link_from_finding, can_update_action
from improvement.kernel.query import (
    RecordChoicesField,
    matching_reference_or_title,
    search_text,
)
from improvement.plan.forms import link_candidates
from improvement.plan.models import Action
from improvement.plan.views.access import get_action

#: How many records a link page offers before asking for a search.
MAX_CANDIDATES = 50


def _add_field(label, choose):
    return RecordChoicesField(
        label=label,
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": choose, "invalid_pk_value": choose},
    )


def _remove_field(not_linked):
    return forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": not_linked},
    )


class LinkForm(GovukMessagesMixin, forms.Form):
    """Link records to one record, or unlink one: the rules of both pages.

    Subclasses name the fields' messages and give ``candidates`` (what may be
    linked) and ``linked`` (what may be unlinked). Unlinking takes effect only
    with ``confirm`` (the confirmation page sends it).
    """

    #: The message when nothing is ticked.
    nothing_chosen = ""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates, linked, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = candidates
        self.fields["remove"].queryset = linked

    @property
    def needs_confirmation(self):
        """A link is to be removed, and the person has not confirmed it yet."""
        return self.cleaned_data.get("remove") is not None and not (
            self.cleaned_data.get("confirm")
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("add") and not cleaned.get("remove"):
            self.add_error("add", self.nothing_chosen)
        return cleaned


class FindingLinkForm(LinkForm):
    """From an action's page: the findings it answers."""

    add = _add_field("Findings to add", "Select findings from the list")
    remove = _remove_field("That finding is not linked to this action")
    nothing_chosen = "Select at least one finding to add"

    def __init__(self, *args, action, findings, **kwargs):
        super().__init__(
            *args,
            candidates=link_candidates(findings).exclude(actions=action),
            linked=action.findings.all(),
            **kwargs,
        )


class ActionLinkForm(LinkForm):
    """From a finding's page: the actions answering it (none for a strength)."""

    add = _add_field("Actions to link", "Select actions from the list")
    remove = _remove_field("That action does not answer this finding")
    nothing_chosen = "Select at least one action to link"

    def __init__(self, *args, finding, actions, **kwargs):
        candidates = actions.exclude(findings=finding)
        if not link_candidates(Finding.objects.filter(pk=finding.pk)).exists():
            candidates = candidates.none()
        super().__init__(
            *args,
            candidates=candidates,
            linked=actions.filter(findings=finding),
            **kwargs,
        )


class _LinkPage:
    """The steps both link pages share; a subclass is one side of the link.

    Someone who may not change the links may read the page (GET) but not post
    (403). Subclasses set ``record`` (the action or finding whose page it is),
    ``url_name``, ``template`` and ``may_change``, and say how to build the
    form, save, word the messages and list the candidates.
    """

    record = None
    url_name = ""
    template = ""
    may_change = False

    def __init__(self, request):
        self.request = request

    @property
    def page_url(self):
        return reverse(self.url_name, args=[self.record.pk])

    def response(self):
        request = self.request
        if request.method == "POST" and not self.may_change:
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        if data is None and "remove" in request.GET and self.may_change:
            data = {"remove": request.GET["remove"]}  # asks for the confirmation
        form = self.form(data)
        if form.is_bound and form.is_valid():
            if form.needs_confirmation:
                return self.confirm_unlink(form.cleaned_data["remove"])
            if request.method == "POST":
                return self.save(form)
            form = self.form(None)
        query = search_text(request.GET.get("q"))
        candidates = matching_reference_or_title(form.fields["add"].queryset, query)
        candidates = list(self.in_order(candidates)[: MAX_CANDIDATES + 1])
        return render(
            request,
            self.template,
            {
                "form": form,
                "linked": self.linked(),
                "candidates": candidates[:MAX_CANDIDATES],
                "more_candidates": len(candidates) > MAX_CANDIDATES,
                "max_candidates": MAX_CANDIDATES,
                "query": query,
                **self.context(),
            },
        )

    def save(self, form):
        added = list(form.cleaned_data["add"])
        removed = form.cleaned_data["remove"]
        with transaction.atomic():
            self.link(added, removed)
        if added:
            messages.success(self.request, self.linked_message(added))
        if removed is not None:
            action, finding = self.pair(removed)
            messages.success(
                self.request,
                f"Action {action.reference} no longer answers finding "
                f"{finding.reference}. To link it again, search for "
                f"{removed.reference} below.",
            )
        return redirect(self.page_url)

    def confirm_unlink(self, other):
        """Ask before the action stops answering the finding: nothing changes."""
        action, finding = self.pair(other)
        return render(
            self.request,
            "layouts/confirm.html",
            {
                "page_title": f"Stop action {action.reference} answering finding "
                f"{finding.reference}?",
                "caption": self.caption(),
                "body": self.unlink_body(action, finding),
                "hidden": [("remove", other.pk)],
                "button": "Yes, remove the link",
                "cancel_url": self.page_url,
                "form_action": self.page_url,
            },
        )


class _ActionFindingsPage(_LinkPage):
    """The findings an action answers, from the action's page."""

    url_name = "improvement:action_findings"
    template = "improvement/action_findings.html"

    def __init__(self, request, pk):
        super().__init__(request)
        self.record = get_action(request, pk)
        self.may_change = can_update_action(request.user, self.record)
        self.findings = Finding.objects.visible_to(request.user).with_source()

    def form(self, data):
        return FindingLinkForm(data, action=self.record, findings=self.findings)

    def pair(self, finding):
        return self.record, finding

    def caption(self):
        return f"Action {self.record.reference}: {self.record.title}"

    def unlink_body(self, action, finding):
        return (
            f"Finding {finding.reference}: {finding.title} will no longer "
            f"be answered by action {action.reference}. The change is kept in "
            "the action's history, and you can link the finding again later."
        )

    def link(self, added, removed):
        if added:
            self.record.findings.add(*added)
        if removed is not None:
            self.record.findings.remove(removed)

    def linked_message(self, added):
        names = ", ".join(f.reference for f in added)
        return f"Linked {names} to action {self.record.reference}"

    def in_order(self, candidates):
        return candidates.in_reference_order()

    def linked(self):
        return self.record.findings.with_source().in_reference_order()

    def context(self):
        return {"action": self.record, "can_update": self.may_change}


class _FindingActionsPage(_LinkPage):
    """The actions answering a finding, from the finding's page (managers)."""

    url_name = "findings:finding_actions"
    template = "improvement/finding_actions.html"

    def __init__(self, request, pk):
        super().__init__(request)
        self.record = get_object_or_404(
            Finding.objects.visible_to(request.user).with_source(), pk=pk
        )
        if not can_link_from_finding(request.user):
            raise PermissionDenied
        self.may_change = True
        self.actions = (
            Action.objects.visible_to(request.user)
            .select_related("plan")
            .in_reference_order()
        )

    def form(self, data):
        return ActionLinkForm(data, finding=self.record, actions=self.actions)

    def pair(self, action):
        return action, self.record

    def caption(self):
        return f"Finding {self.record.reference}: {self.record.title}"

    def unlink_body(self, action, finding):
        return (
            f"Action {action.reference}: {action.title} will no longer "
            f"answer finding {finding.reference}. The change is kept in the "
            "action's history, and you can link the action again later."
        )

    def link(self, added, removed):
        # Linked from the action's side, so the action's history records it.
        for action in added:
            action.findings.add(self.record)
        if removed is not None:
            removed.findings.remove(self.record)

    def linked_message(self, added):
        names = ", ".join(action.reference for action in added)
        return (
            f"Linked action{'s' if len(added) > 1 else ''} {names} "
            f"to finding {self.record.reference}"
        )

    def in_order(self, candidates):
        return candidates

    def linked(self):
        return list(self.actions.filter(findings=self.record))

    def context(self):
        return {
            "finding": self.record,
            "selected": set(self.request.POST.getlist("add")),
        }


def action_findings(request, pk):
    """Add or remove the findings an action answers (its lead and supporters,
    and improvement managers). Works without JavaScript."""
    return _ActionFindingsPage(request, pk).response()


def finding_actions(request, pk):
    """Improvement managers link existing actions to a finding, or unlink them."""
    return _FindingActionsPage(request, pk).response()
