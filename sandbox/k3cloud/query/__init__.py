"""ExecuteBillQuery and BillQuery: field keys, filters, ordering and paging over records."""

from sandbox.k3cloud.query.engine import QueryError, bill_query, execute_bill_query, run_query

__all__ = ["QueryError", "bill_query", "execute_bill_query", "run_query"]
