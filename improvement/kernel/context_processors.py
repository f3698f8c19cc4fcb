"""Template context every page needs."""

from django.conf import settings


def service(request):
    """The council and service names for the header and page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }
