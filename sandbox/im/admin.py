"""The simulated robots in the admin: their settings, and every message they were sent."""

from django.contrib import admin

from sandbox.im.models import ReceivedMessage, Robot


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    list_display = ["platform", "name", "token", "keywords", "created_at"]
    list_filter = ["platform"]
    search_fields = ["name", "token"]


@admin.register(ReceivedMessage)
class ReceivedMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "platform", "robot", "msg_type", "title", "code", "answer"]
    list_filter = ["platform", "code"]
    search_fields = ["title", "content", "answer"]
    readonly_fields = [
        "robot",
        "platform",
        "received_at",
        "msg_type",
        "title",
        "content",
        "body",
        "code",
        "answer",
    ]
    list_select_related = ["robot"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
