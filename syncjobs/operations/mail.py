"""Who gets the console's mails, and sending them in the product's language."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import translation

from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "[Integration Hub] "


def recipients(*groups):
    """E-mail addresses of active staff in ``groups`` (superusers count as integration admins)."""
    members = Q(groups__name__in=groups)
    if INTEGRATION_ADMINS in groups:
        members |= Q(is_superuser=True)
    users = get_user_model().objects.filter(members, is_active=True, is_staff=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def admin_recipients():
    return recipients(INTEGRATION_ADMINS)


def finance_recipients():
    return recipients(INTEGRATION_ADMINS, FINANCE_REVIEWERS)


def send(subject, body, to, attachments=()):
    """Send one mail to ``to``; ``attachments`` are ``(filename, content, mimetype)``. True if sent."""
    if not to:
        logger.warning("No recipient with an e-mail address for %r; nothing was sent", subject)
        return False
    message = EmailMessage(SUBJECT_PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, to)
    for attachment in attachments:
        message.attach(*attachment)
    message.send()
    return True


def in_product_language():
    """Mails are written in the configured language, whoever (or no one) triggered them."""
    return translation.override(settings.LANGUAGE_CODE)
