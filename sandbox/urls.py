from django.urls import include, path

from sandbox import control

urlpatterns = [
    path("k3cloud/", include("sandbox.k3cloud.urls")),
    path("fxiaoke/", include("sandbox.fxiaoke.urls")),
    path("im/", include("sandbox.im.urls")),
    path("control/seed", control.seed),
    path("control/faults/<str:system>", control.faults),
    path("control/clock/<str:system>", control.clock),
    path("control/calls", control.calls),
    path("control/simulate/<str:system>", control.simulate),
    path("control/reset", control.reset),
    path("control/fields/<str:system>", control.fields),
]
