"""Write audit events. Callers pass words, never clinical answers or patient details."""

from core.models import AuditAction, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
