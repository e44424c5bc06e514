"""Write audit events. Callers pass words, never clinical answers or patient details."""

import ipaddress

from django.conf import settings

from core.models import AuditAction, AuditEvent


def client_ip(request) -> str | None:
    """Return the address the request came from, as our own proxies saw it.

    Behind TRUSTED_PROXY_COUNT load balancers or proxies that each append to X-Forwarded-For,
    the client is the entry the outermost one appended: counted from the right, so addresses a
    client puts in the header itself are never believed. With no trusted proxy (the default),
    or a header too short or not an address, it is the connection's own address. The audit log
    uses this; throttling uses client_network, built on it.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def client_network(request) -> str | None:
    """Return the client address as throttling counts it: an IPv6 address by its /64 network.

    One IPv6 subscriber is usually given a whole /64, so counting each address apart would let
    them rotate through billions of addresses to dodge every limit. The network's first address
    stands for it (a valid address, as django-axes stores). The audit log keeps the full address.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:  # None, or a REMOTE_ADDR that is not an address
        return address
    if parsed.version == 4:
        return address
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


def audit_record(
    *,
    action: AuditAction,
    request=None,
    actor=None,
    actor_email: str = "",
    target: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit log."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=(actor_email or getattr(actor, "email", "") or "")[:254],
        ip_address=client_ip(request),
        target=target[:200],
        detail=detail[:500],
    )
