"""Audit sign-ins, failed sign-ins, sign-outs and changes to a user's role or organisation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from core.audit import audit_record
from core.middleware import current_request
from core.models import AuditAction

WATCHED = ("role", "icb_id", "practice_id", "is_active", "is_superuser")


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.SIGN_IN, request=request, actor=user)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, request=request, actor=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Credentials arrive with the password already masked by Django.
    email = str((credentials or {}).get("username", ""))[:254]
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, actor_email=email)


@receiver(pre_save, sender=get_user_model())
def remember_access(sender, instance, **kwargs):
    if instance.pk:
        before = sender.objects.filter(pk=instance.pk).values(*WATCHED).first()
        instance._access_before = before


@receiver(post_save, sender=get_user_model())
def audit_access_change(sender, instance, created, **kwargs):
    before = getattr(instance, "_access_before", None)
    if created or not before:
        return
    changes = [
        f"{field.removesuffix('_id')}: {before[field]} → {getattr(instance, field)}"
        for field in WATCHED
        if before[field] != getattr(instance, field)
    ]
    if changes:
        request = current_request.get()
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            request=request,
            actor_email="" if request else "(command line)",
            target=instance.email,
            detail="; ".join(changes),
        )
