import { inboxLeaseCases } from "@/tests/helpers/inbox-lease-cases";

/** One inbox watcher across workers (lease), on this file's PostgreSQL database (tests/helpers/inbox-lease-cases.ts). */
inboxLeaseCases();
