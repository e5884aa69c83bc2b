-- CreateTable
CREATE TABLE "legacy_import_rows" (
    "source_table" TEXT NOT NULL,
    "legacy_key" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "legacy_timestamp" TEXT,
    "import_id" TEXT NOT NULL,
    "imported_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("source_table", "legacy_key")
);

-- CreateIndex
CREATE INDEX "legacy_import_rows_source_table_target_id_idx" ON "legacy_import_rows"("source_table", "target_id");
