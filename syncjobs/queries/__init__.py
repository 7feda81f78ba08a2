"""Reads for the console and the admin: timelines, failures, version diffs, field pickers, searches.

Services write; these only read (the hub's tables, or a connected system's object lists and
field descriptions for the pickers), each in a bounded number of queries or calls.
"""
