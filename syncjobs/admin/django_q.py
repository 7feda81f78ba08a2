"""The task queue's admin pages (with their "resubmit" action) are for integration admins only."""

from django.contrib import admin
from django_q import admin as q_admin
from django_q import models as q_models

from syncjobs.services.roles import is_integration_admin


class IntegrationAdminsOnlyMixin:
    def has_module_permission(self, request):
        return is_integration_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_integration_admin(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_integration_admin(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_integration_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_integration_admin(request.user) and super().has_delete_permission(request, obj)


def _restrict(model, admin_class):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(admin_class.__name__, (IntegrationAdminsOnlyMixin, admin_class), {}))


_restrict(q_models.Schedule, q_admin.ScheduleAdmin)
_restrict(q_models.Success, q_admin.TaskAdmin)
_restrict(q_models.Failure, q_admin.FailAdmin)
if admin.site.is_registered(q_models.OrmQ):
    _restrict(q_models.OrmQ, q_admin.QueueAdmin)
