"""Files people open in a spreadsheet: typed cells, the user's language, no live formulas."""
