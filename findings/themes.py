"""Themes: the list, a theme's page, and the forms improvement managers use.

Everyone with a role may read the themes (the view permission); improvement
managers add them and rename or describe them (add and change permissions).
Nobody deletes a theme here: findings keep theirs, and so does the history.
"""

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from findings.forms import ThemeForm
from findings.models import Theme
from improvement.kernel.editing import add_page, edit_page, save_model_form
from improvement.kernel.permissions import (
    can_add_theme,
    can_edit_theme,
    can_view_findings,
    can_view_themes,
    require,
)
from improvement.kernel.timeline import latest_changes, own_timeline
from improvement.kernel.views import history_page

PAGE_SIZE = 50
DUPLICATE_NAME = "A theme with this name already exists. Enter a different name"


def _themes_for(user):
    """Themes in name order, counting their findings for those who may see them."""
    themes = Theme.objects.order_by("name", "pk")
    if can_view_findings(user):
        themes = themes.annotate(finding_count=Count("findings"))
    return themes


def _register_url(theme):
    """The findings register showing only this theme's findings."""
    return f"{reverse('findings:finding_list')}?theme={theme.pk}"


@require_safe
@require(can_view_themes)
def theme_list(request):
    """Everyone with a role: every theme and how many findings share it."""
    page_obj = Paginator(_themes_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for theme in page_obj.object_list:
        theme.register_url = _register_url(theme)
    return render(
        request,
        "findings/theme_list.html",
        {
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "can_see_findings": can_view_findings(request.user),
            "can_add": can_add_theme(request.user),
            "can_edit": can_edit_theme(request.user),
        },
    )


@require_safe
@require(can_view_themes)
def theme_detail(request, pk):
    """Everyone with a role: a theme, its findings in the register, its history."""
    theme = get_object_or_404(_themes_for(request.user), pk=pk)
    history = latest_changes(
        own_timeline(theme), reverse("findings:theme_history", args=[pk])
    )
    return render(
        request,
        "findings/theme_detail.html",
        {
            "theme": theme,
            "register_url": _register_url(theme),
            "can_see_findings": can_view_findings(request.user),
            "can_edit": can_edit_theme(request.user),
            "timeline": history.entries,
            "history": history,
        },
    )


@require_safe
@require(can_view_themes)
def theme_history(request, pk):
    """Every change to a theme, a page at a time."""
    theme = get_object_or_404(_themes_for(request.user), pk=pk)
    return history_page(
        request,
        theme,
        own_timeline(theme),
        url=reverse("findings:theme_detail", args=[pk]),
        breadcrumbs=[("Themes", reverse("findings:theme_list"))],
    )


def _duplicate_name(form):
    """A theme of the same name was saved at the same moment: say so."""
    form.add_error("name", DUPLICATE_NAME)


@require(can_add_theme)
def theme_create(request):
    """Improvement managers add a theme for findings to share."""
    return add_page(
        request,
        ThemeForm,
        "findings/theme_form.html",
        save=_save_new_theme,
        name=lambda theme: f"Theme “{theme.name}”",
        context={
            "page_title": "Add a theme",
            "submit_label": "Add theme",
            "cancel_url": reverse("findings:theme_list"),
        },
    )


def _save_new_theme(form):
    """The new theme, or None with the name shown taken if it was meanwhile."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        _duplicate_name(form)
        return None


def _save_theme(form, stored, version):
    """The version-checked save, with a name taken meanwhile shown on the field."""
    try:
        with transaction.atomic():
            return save_model_form(form, stored, version)
    except IntegrityError:
        _duplicate_name(form)
        return None


@require(can_edit_theme)
def theme_edit(request, pk):
    """Improvement managers rename a theme or change its description."""
    return edit_page(
        request,
        lambda: get_object_or_404(Theme.objects.all(), pk=pk),
        ThemeForm,
        "findings/theme_form.html",
        save=_save_theme,
        name=lambda theme: f"Theme “{theme.name}”",
        context=lambda theme: {
            "theme": theme,
            "page_title": f"Edit theme “{theme.name}”",
            "cancel_url": theme.get_absolute_url(),
        },
    )
