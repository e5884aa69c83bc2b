import { inboxLeaseCases } from "@/tests/helpers/inbox-lease-cases";

/** One inbox watcher across workers (lease), on this file's SQLite database; the PostgreSQL twin is tests/postgres/inbox-lease.test.ts. */
inboxLeaseCases();
