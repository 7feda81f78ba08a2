"""Alert channels (secrets write-only, a test button), alert rules, and the messages sent."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from syncjobs.models import AlertRule, ChannelDelivery, NotificationChannel
from syncjobs.operations import alerts  # noqa: F401  (registers the causes offered to rules)
from syncjobs.operations.notify import outbox
from syncjobs.operations.notify.causes import cause_choices

SECRETS = NotificationChannel.SECRET_FIELDS


class ChannelForm(forms.ModelForm):
    """Secrets are never rendered back; a blank secret field keeps the stored value."""

    class Meta:
        model = NotificationChannel
        fields = ["name", "kind", "enabled", "webhook_url", "secret", "keywords", "recipients", "per_minute"]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRETS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRETS:
            self.fields[name].required = False
            stored = self.instance.pk and self.instance.has_value(name)
            self.fields[name].help_text = (
                _("Stored (encrypted). Leave blank to keep it; type a new value to replace it.")
                if stored
                else self.fields[name].help_text
            )

    def clean(self):
        cleaned = super().clean()
        for name in SECRETS:
            if name in cleaned and not cleaned[name]:
                del cleaned[name]  # absent from cleaned_data, the model keeps its stored value
        return cleaned


@admin.register(NotificationChannel)
class NotificationChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "kind", "enabled", "per_minute", "secrets")
    list_filter = ("kind", "enabled")
    search_fields = ("name",)
    change_form_template = "admin/syncjobs/notificationchannel/change_form.html"

    @admin.display(description=_("secrets"))
    def secrets(self, channel):
        stored = [
            str(NotificationChannel._meta.get_field(name).verbose_name)
            for name in SECRETS
            if channel.has_value(name)
        ]
        return ", ".join(stored) or "–"

    def has_test_permission(self, request):
        return request.user.has_perm("syncjobs.test_notificationchannel")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/test/",
                self.admin_site.admin_view(self.test_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_test",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def test_view(self, request, object_id):
        """Send a test message through the channel and report the outcome on its page."""
        if not self.has_test_permission(request):
            raise PermissionDenied
        channel = get_object_or_404(NotificationChannel, pk=object_id)
        ok, error = outbox.send_test(channel)
        if ok:
            self.message_user(request, _("The test message was sent."), messages.SUCCESS)
        else:
            self.message_user(
                request, _("The test message failed: %(error)s") % {"error": error}, messages.ERROR
            )
        return redirect(reverse("admin:syncjobs_notificationchannel_change", args=[channel.pk]))

    @method_decorator(sensitive_post_parameters(*SECRETS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_test_channel": self.has_test_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)


class RuleForm(forms.ModelForm):
    causes = forms.MultipleChoiceField(
        label=capfirst(AlertRule._meta.get_field("causes").verbose_name),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every cause."),
    )

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "enabled",
            "causes",
            "flows",
            "channels",
            "min_severity",
            "quiet_start",
            "quiet_end",
            "send_recovery",
            "daily_digest",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["causes"].choices = cause_choices()


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = (
        "name",
        "enabled",
        "min_severity",
        "quiet_start",
        "quiet_end",
        "send_recovery",
        "daily_digest",
    )
    list_filter = ("enabled",)
    filter_horizontal = ("flows", "channels")


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "kind",
        "title",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("status", "kind", "channel")
    search_fields = ("title", "cause")
    list_select_related = ("channel",)
    readonly_fields = [field.name for field in ChannelDelivery._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
