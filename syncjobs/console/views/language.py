"""The header's language switch: Django's ``set_language``, remembered for the signed-in user."""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from syncjobs.services import languages


@require_POST
def set_language(request):
    """Switch the console's language (cookie, session and the user's stored choice), then go back."""
    response = django_set_language(request)
    languages.remember(request, request.POST.get("language", ""))
    return response


class UserLanguageMiddleware:
    """Speaks the language the session remembers, and keeps the browser's cookie in step.

    Sits after ``LocaleMiddleware`` and ``SessionMiddleware``: the stored choice wins over the
    browser's Accept-Language, so a person's language follows them from one browser to another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = languages.session_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
