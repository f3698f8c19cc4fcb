"""Views of the findings register."""

from django.shortcuts import get_object_or_404, render

from findings.models import Finding


def finding_detail(request, pk):
    finding = get_object_or_404(Finding.objects.visible_to(request.user), pk=pk)
    return render(request, "findings/finding_detail.html", {"finding": finding})
