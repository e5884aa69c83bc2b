"use client";

import { useId, useRef, useState } from "react";
import { FileUp, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { IconButton } from "@/components/ui/icon-button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { toast } from "@/components/ui/toast";
import { cx } from "@/components/ui/cx";
import { useUploadSales } from "@/lib/client/recommendations";
import { UploadError } from "@/lib/client/upload";
import { uploadErrorDetailsSchema, type UploadErrorDetails } from "@/lib/domain/recommendations/recommendation-response";
import { formatBytes, snapshotLabel } from "@/components/recommendations/format";

const isCsv = (f: File) => /\.(csv|txt)$/i.test(f.name) || f.type === "text/csv";

/**
 * Store sales CSVs → a new snapshot: drop or choose files, upload with a real progress bar. The
 * server takes all files or nothing; a refused upload lists every bad row (file, line, column).
 */
export function UploadPanel() {
  const titleId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const upload = useUploadSales();
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [refused, setRefused] = useState<{ message: string; details: UploadErrorDetails | null } | null>(null);

  const add = (list: FileList | null) => {
    if (!list) return;
    const picked = [...list];
    const rejected = picked.filter((f) => !isCsv(f));
    if (rejected.length) toast.error(`Not a CSV file: ${rejected.map((f) => f.name).join(", ")}`);
    setFiles((current) => {
      const names = new Set(picked.filter(isCsv).map((f) => f.name));
      return [...current.filter((f) => !names.has(f.name)), ...picked.filter(isCsv)];
    });
    setRefused(null);
  };

  const submit = () => {
    setProgress(0);
    setRefused(null);
    upload.mutate(
      { files, onProgress: setProgress },
      {
        onSuccess: (res) => {
          toast.success(
            `Snapshot ${snapshotLabel(res.timestamp)}: ${res.strain_count} strains from ${res.store_count} store${res.store_count === 1 ? "" : "s"}`,
          );
          setFiles([]);
          if (inputRef.current) inputRef.current.value = "";
        },
        onError: (error) => {
          const details = error instanceof UploadError ? uploadErrorDetailsSchema.safeParse(error.details) : null;
          setRefused({ message: error.message, details: details?.success ? details.data : null });
          toast.error(error.message);
        },
      },
    );
  };

  const busy = upload.isPending;
  return (
    <Card aria-labelledby={titleId}>
      <h2 id={titleId} className="mb-1 text-lg font-semibold text-neutral-50">
        Upload store sales
      </h2>
      <p className="mb-3 text-sm text-neutral-300">
        One CSV per store (columns such as store, strain, inventory, average daily sales or units sold and period days). Each upload becomes
        a snapshot; a file with a bad row is refused as a whole, so fix the rows listed and upload again.
      </p>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
        className={cx(
          "flex flex-col items-center gap-3 rounded-2xl border-2 border-dashed p-6 text-center transition-colors",
          dragging ? "border-green-500 bg-green-950/40" : "border-neutral-700",
        )}
      >
        <FileUp aria-hidden className="size-8 text-neutral-300" />
        <p className="text-neutral-200">Drop CSV files here, or</p>
        <Button onClick={() => inputRef.current?.click()} disabled={busy}>
          Choose CSV files
        </Button>
        <input
          ref={inputRef}
          type="file"
          multiple
          accept=".csv,text/csv"
          aria-label="CSV files"
          tabIndex={-1}
          className="sr-only"
          onChange={(e) => add(e.target.files)}
        />
      </div>

      {files.length > 0 ? (
        <ul className="mt-3 space-y-1" aria-label="Files to upload">
          {files.map((f) => (
            <li key={f.name} className="flex items-center justify-between gap-2 rounded-xl bg-neutral-800/60 px-3 py-1">
              <span className="truncate">
                {f.name} <span className="text-sm text-neutral-300">({formatBytes(f.size)})</span>
              </span>
              <IconButton
                label={`Remove ${f.name}`}
                icon={X}
                disabled={busy}
                onClick={() => setFiles((current) => current.filter((x) => x !== f))}
              />
            </li>
          ))}
        </ul>
      ) : null}

      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={submit} busy={busy} disabled={files.length === 0}>
          {busy ? "Uploading…" : files.length > 1 ? `Upload ${files.length} files` : "Upload"}
        </Button>
        {busy ? (
          <div className="min-w-64 flex-1" aria-live="polite">
            <ProgressBar value={Math.round(progress * 100)} max={100} label="Upload progress" />
            <p className="mt-1 text-sm text-neutral-300">
              {progress < 1 ? `Sending ${Math.round(progress * 100)} %` : "Sent; the server is reading the rows…"}
            </p>
          </div>
        ) : null}
      </div>

      {refused ? <RefusedUpload message={refused.message} details={refused.details} /> : null}
    </Card>
  );
}

function RefusedUpload({ message, details }: { message: string; details: UploadErrorDetails | null }) {
  return (
    <div role="alert" className="mt-4 rounded-2xl border border-red-800 bg-red-950/60 p-4">
      <p className="font-semibold text-red-200">{message}</p>
      {details && details.errors.length > 0 ? (
        <div tabIndex={0} role="region" aria-label="Rows to fix" className="mt-3 max-h-80 overflow-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Rows to fix</caption>
            <thead>
              <tr className="text-left text-red-100">
                <th scope="col" className="px-2 py-1">
                  File
                </th>
                <th scope="col" className="px-2 py-1 text-right">
                  Line
                </th>
                <th scope="col" className="px-2 py-1">
                  Column
                </th>
                <th scope="col" className="px-2 py-1">
                  Problem
                </th>
              </tr>
            </thead>
            <tbody>
              {details.errors.map((e, i) => (
                <tr key={`${e.file}:${e.line}:${i}`} className="border-t border-red-900 text-red-100">
                  <td className="px-2 py-1">{e.file}</td>
                  <td className="px-2 py-1 text-right tabular-nums">{e.line}</td>
                  <td className="px-2 py-1">{e.column ?? "—"}</td>
                  <td className="px-2 py-1">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {details.truncated ? (
            <p className="mt-2 text-sm text-red-200">
              Showing the first {details.errors.length} of {details.error_count} problems.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
