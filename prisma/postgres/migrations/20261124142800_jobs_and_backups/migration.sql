-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "last_duration_ms" INTEGER,
ADD COLUMN     "run_requested_at" TIMESTAMP(3),
ADD COLUMN     "run_requested_by" TEXT;

-- CreateTable
CREATE TABLE "backups" (
    "id" TEXT NOT NULL,
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
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "backups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "backups_file_name_key" ON "backups"("file_name");

-- CreateIndex
CREATE INDEX "backups_status_started_at_idx" ON "backups"("status", "started_at");
