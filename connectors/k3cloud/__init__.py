"""Kingdee K3Cloud (金蝶云星空) Web API connector."""

from connectors.k3cloud.client import K3CloudClient
from connectors.k3cloud.config import K3CloudConfig

__all__ = ["K3CloudClient", "K3CloudConfig"]
