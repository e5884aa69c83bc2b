-- CreateTable
CREATE TABLE "backups" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "file_name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "trigger" TEXT NOT NULL DEFAULT 'scheduled',
    "size_bytes" INTEGER,
    "db_bytes" INTEGER,
    "sha256" TEXT,
    "duration_ms" INTEGER,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "uploaded_to" TEXT,
    "error" TEXT,
    "started_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" DATETIME,
    "deleted_at" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_jobs" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "interval_seconds" INTEGER NOT NULL,
    "next_run_at" DATETIME NOT NULL,
    "last_started_at" DATETIME,
    "last_finished_at" DATETIME,
    "last_status" TEXT,
    "last_error" TEXT,
    "last_duration_ms" INTEGER,
    "lease_owner" TEXT,
    "lease_until" DATETIME,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "run_requested_at" DATETIME,
    "run_requested_by" TEXT,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_jobs" ("interval_seconds", "last_error", "last_finished_at", "last_started_at", "last_status", "lease_owner", "lease_until", "name", "next_run_at", "updated_at") SELECT "interval_seconds", "last_error", "last_finished_at", "last_started_at", "last_status", "lease_owner", "lease_until", "name", "next_run_at", "updated_at" FROM "jobs";
DROP TABLE "jobs";
ALTER TABLE "new_jobs" RENAME TO "jobs";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "backups_file_name_key" ON "backups"("file_name");

-- CreateIndex
CREATE INDEX "backups_status_started_at_idx" ON "backups"("status", "started_at");
