"""The address a request came from, as far as the deployment lets us know it.

Failed sign-ins are counted per address, so the address must be one a caller
cannot choose. ``REMOTE_ADDR`` is the address that connected to us; behind a
proxy that is the proxy, and the caller's own address is in the
``X-Forwarded-For`` header the proxy adds. Anyone can send that header, so it
is read only when ``TRUSTED_PROXY_COUNT`` says how many proxies of ours stand
in front of the application. Each proxy appends the address it saw, so the
caller's address is that many entries from the right; whatever the caller
wrote into the header itself lies further left and is ignored.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request):
    """The caller's address: ``REMOTE_ADDR``, or the entry ``TRUSTED_PROXY_COUNT``
    places from the right of ``X-Forwarded-For`` when the deployment trusts it.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
