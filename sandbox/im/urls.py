"""The simulated robots, mounted at ``/sandbox/im/``: each platform's path under its own prefix."""

from django.urls import path

from sandbox.im import dingtalk, feishu, listing, wecom

urlpatterns = [
    path("wecom/cgi-bin/webhook/send", wecom.send),
    path("dingtalk/robot/send", dingtalk.send),
    path("messages", listing.messages),
    path("feishu/open-apis/bot/v2/hook/<str:token>", feishu.send),
]
