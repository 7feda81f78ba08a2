"""A generic webhook: JSON events signed the way Integration Hub's own webhook expects."""

from connectors.hubhook.client import HubWebhook, HubWebhookConfig, sign

__all__ = ["HubWebhook", "HubWebhookConfig", "sign"]
