"""The golden thread: findings, the actions answering them, and the evidence.

Read-only: every signed-in role with the view permission may open it.
"""

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from findings.filters import visible_themes
from findings.models import Theme
from improvement.board.forms import PlanChoiceField, default_plan, filled_in
from improvement.board.page_cache import cached_fragment
from improvement.board.thread import golden_thread
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.permissions import can_view_actions, require
from improvement.plan.models import Plan


class GoldenThreadForm(GovukMessagesMixin, forms.Form):
    """The plan (or every plan) and the theme (or every theme) to follow.

    With no ``plan`` in the query string the newest active plan is shown;
    ``plan=`` (empty) chooses every plan.
    """

    plan = PlanChoiceField(required=False, empty_label="All plans")
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.all(),
        required=False,
        empty_label="All themes",
        error_messages={"invalid_choice": "Select a theme from the list"},
    )

    def __init__(self, data, *, plans, themes):
        if "plan" not in data:
            data = filled_in(data, {"plan": getattr(default_plan(plans), "pk", None)})
        super().__init__(data)
        self.fields["plan"].plans = plans
        self.fields["theme"].queryset = themes


@require_safe
@require(can_view_actions)
def golden_thread_view(request):
    """Each inspection and visit, its findings, the actions answering them.

    Flags findings nothing answers, and findings whose actions are all
    delivered but whose impact is not yet evidenced.
    """
    plans = list(Plan.objects.visible_to(request.user).with_has_sources())
    themes = visible_themes(request.user)
    form = GoldenThreadForm(request.GET, plans=plans, themes=themes)
    context = {"form": form, "page_title": "Golden thread"}
    if form.is_valid():
        plan, theme = form.cleaned_data["plan"], form.cleaned_data["theme"]
        context |= {
            "plan": plan,
            "theme": theme,
            "body": cached_fragment(
                request,
                "golden_thread",
                plan,
                lambda: render_to_string(
                    "improvement/includes/golden_thread_body.html",
                    {"thread": golden_thread(plan=plan, theme=theme)},
                    request,
                ),
                theme=getattr(theme, "pk", None),
            ),
        }
    return render(request, "improvement/golden_thread.html", context)
