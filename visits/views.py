"""Views of inspections and visits."""

from django.shortcuts import get_object_or_404, render

from visits.models import Inspection, MonitoringVisit


def inspection_detail(request, pk):
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    return render(request, "visits/inspection_detail.html", {"inspection": inspection})


def monitoringvisit_detail(request, pk):
    visit = get_object_or_404(MonitoringVisit.objects.visible_to(request.user), pk=pk)
    return render(request, "visits/monitoringvisit_detail.html", {"visit": visit})
