"""Simulated group robots of 企业微信, 钉钉 and 飞书, mounted under ``/sandbox/im/``."""
