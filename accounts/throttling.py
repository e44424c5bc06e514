"""How django-axes identifies the account being tried."""


def attempted_email(request, credentials) -> str:
    """Return the email address tried, lower-cased, so case changes cannot dodge the lock."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    value = source.get("username") or ""
    return str(value).strip().lower()[:254]
