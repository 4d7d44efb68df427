"""The DuckDB store: connections and the write lock (`connection`), its schema, the journal of writes, the
publication of a prepared store to the served one, and the one identity every cache keys on (`identity`)."""

from geo.store.connection import (
                                  BUILDING,
                                  WRITE_WAIT_SECONDS,
                                  WRITING,
                                  reader,
                                  release,
                                  remove,
                                  remove_stale,
                                  transaction,
                                  write_error,
                                  write_lock,
)

__all__ = ["BUILDING", "WRITE_WAIT_SECONDS", "WRITING", "reader", "release", "remove", "remove_stale", "transaction",
           "write_error", "write_lock"]
