"""
The address of the person sending a request, as the login throttle and the public survey's daily limit
count it (docs/security.md, "Login" and "Public survey").
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac


def client_ip(request) -> str | None:
    """The client's address. Behind `QMS_TRUSTED_PROXIES` reverse proxies (nginx in production) it is
    the address the outermost trusted proxy saw, taken from the right of X-Forwarded-For; anything further
    left was written by the client and could be forged."""
    proxies = getattr(settings, "QMS_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def client_hash(request, *, purpose: str) -> str:
    """A keyed hash of the client's address (HMAC with SECRET_KEY, distinct per `purpose`): enough to
    count one client's requests, useless for finding who they were (a plain hash of an IPv4 address is
    reversed by trying all four billion). 64 hex digits."""
    return salted_hmac(f"qms.{purpose}", client_ip(request) or "", algorithm="sha256").hexdigest()
