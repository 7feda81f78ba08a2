"""Reconciliation: the CRM and the ERP compared over a period, document by document.

``documents`` says which objects and fields hold each kind of document on each side,
``reading`` asks both systems for a period's documents, ``matching`` pairs them (pure),
``reports`` runs and stores a report, ``export`` writes it as a workbook for finance.
"""
