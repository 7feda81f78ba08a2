"""The console's language per person: chosen in the header, kept with the user, used at each sign-in.

Django's ``set_language`` keeps the choice in a cookie, which is per browser. The choice is
also stored with the user (``UserPreference``) and copied into the session at sign-in, so a
person reads the console in their language on any browser; the session copy spares a query
per request.
"""

from django.conf import settings

from syncjobs.models import UserPreference

SESSION_KEY = "hub_language"


def is_offered(language):
    return language in dict(settings.LANGUAGES)


def remember(request, language):
    """Store ``language`` for the signed-in user and in their session (ignored when not offered)."""
    if not is_offered(language):
        return
    request.session[SESSION_KEY] = language
    if request.user.is_authenticated:
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})


def restore_at_sign_in(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the user's stored language into the new session."""
    language = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language


def session_language(request):
    """The language the session remembers, or ``None``."""
    session = getattr(request, "session", None)
    language = session.get(SESSION_KEY) if session is not None else None
    return language if language and is_offered(language) else None
