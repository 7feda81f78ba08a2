"""The operations console: live progress, flow control, dashboard, alerts, reconciliation,
webhooks and retention. Services write, queries read; views and tasks only delegate."""
