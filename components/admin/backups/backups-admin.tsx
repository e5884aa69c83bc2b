"use client";

import { useEffect, useState } from "react";
import { Download, Play } from "lucide-react";
import { backupDownloadUrl, useBackupList, useBackupStatus, useRunBackup, type BackupView } from "@/lib/client/backups";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatBytes, formatDateTime } from "@/components/admin/format";

/** /admin/backups: status, run now (with progress), the backup history with downloads, how to restore. */
export function BackupsAdmin() {
  const run = useRunBackup();
  const status = useBackupStatus({ running: run.isPending });
  const list = useBackupList();
  const running = run.isPending || !!status.data?.running;

  function runNow() {
    run.mutate(undefined, {
      onSuccess: ({ backup }) => toast.success(`Backup ${backup.file_name} written (${formatBytes(backup.size_bytes)})`),
      onError: (error) => toast.error(error.message),
    });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold text-green-400">Backups</h1>
        <Button variant="primary" onClick={runNow} busy={running} disabled={status.isPending}>
          <Play aria-hidden className="size-5" />
          {running ? "Backup running…" : "Run backup now"}
        </Button>
      </div>

      <StatusSection status={status} running={running} />
      <ProgressRegion running={running} />
      <HistorySection list={list} />
      <RestoreInstructions />
    </div>
  );
}

function StatusSection({ status, running }: { status: ReturnType<typeof useBackupStatus>; running: boolean }) {
  if (status.isPending)
    return (
      <Loading label="Loading backup status">
        <Skeleton className="h-28" />
      </Loading>
    );
  if (status.isError)
    return <ErrorState title="Could not load the backup status" error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  return (
    <Card aria-labelledby="backup-status-heading">
      <CardTitle>
        <span id="backup-status-heading">Status</span>
      </CardTitle>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Last backup"
          value={s.last_backup ? formatDateTime(s.last_backup) : "Never"}
          hint={
            s.status === "failed" ? (
              <span className="text-red-300">Last attempt failed{s.last_error ? `: ${s.last_error}` : ""}</span>
            ) : s.status === "never_run" ? (
              "No backup has run yet"
            ) : (
              "Succeeded"
            )
          }
        />
        <Stat
          label="Next scheduled"
          value={running ? "Running now" : s.next_scheduled ? formatDateTime(s.next_scheduled) : "Not scheduled"}
          hint={`Every ${s.interval_hours} h`}
        />
        <Stat label="Last backup size" value={formatBytes(s.last_backup_size_bytes)} hint={s.encrypted ? "Encrypted" : "Not encrypted"} />
        <Stat label="Backups kept" value={s.backup_count} hint={`${s.total_size_mb} MB in total`} />
      </dl>
      {s.warnings.length > 0 && (
        <ul className="mt-4 space-y-2">
          {s.warnings.map((w) => (
            <li key={w} className="rounded-xl border border-orange-700 bg-orange-950/60 px-3 py-2 text-orange-200">
              {w}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** While a backup runs: an indeterminate bar and the elapsed time (the server reports no percentage). */
function ProgressRegion({ running }: { running: boolean }) {
  return (
    <div role="status" aria-live="polite">
      {running && <RunningBackup />}
    </div>
  );
}

function RunningBackup() {
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="space-y-2 rounded-2xl border border-blue-700 bg-blue-950/50 p-4">
      <p className="font-semibold text-blue-200">Backup in progress… {Math.max(0, Math.round((now - startedAt) / 1000))} s</p>
      <div role="progressbar" aria-label="Backup in progress" className="h-3 w-full overflow-hidden rounded-full bg-neutral-800">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-blue-400" />
      </div>
    </div>
  );
}

const STATUS_TONE = { completed: "green", failed: "red", running: "blue", deleted: "neutral" } as const;

function HistorySection({ list }: { list: ReturnType<typeof useBackupList> }) {
  return (
    <section aria-labelledby="backup-history-heading" className="space-y-3">
      <h2 id="backup-history-heading" className="text-xl font-semibold text-green-400">
        History {list.data && <span className="text-base font-normal text-neutral-300">({list.data.total})</span>}
      </h2>
      {list.isPending && (
        <Loading label="Loading backups">
          <Skeleton className="h-48" />
        </Loading>
      )}
      {list.isError && <ErrorState title="Could not load the backups" error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.backups.length === 0 && (
        <EmptyState title="No backups yet">
          Press “Run backup now” to write the first one; the worker also runs them on schedule.
        </EmptyState>
      )}
      {list.data && list.data.backups.length > 0 && (
        <div className="overflow-x-auto rounded-2xl border border-neutral-800">
          <table className="w-full text-left">
            <caption className="sr-only">Backups, newest first</caption>
            <thead className="bg-neutral-900 text-sm text-neutral-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Size
                </th>
                <th scope="col" className="px-3 py-2">
                  Checksum (SHA-256)
                </th>
                <th scope="col" className="px-3 py-2">
                  Encrypted
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.backups.map((b) => (
                <BackupRow key={b.id} backup={b} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BackupRow({ backup: b }: { backup: BackupView }) {
  return (
    <tr className="border-t border-neutral-800 align-top" data-testid="backup-row">
      <td className="px-3 py-2">
        <div>{formatDateTime(b.finished_at ?? b.started_at)}</div>
        <div className="font-mono text-sm text-neutral-300">{b.file_name}</div>
        <div className="text-sm text-neutral-300">
          {b.trigger}
          {b.duration_ms !== null ? ` · ${(b.duration_ms / 1000).toFixed(1)} s` : ""}
        </div>
      </td>
      <td className="px-3 py-2">
        <Badge tone={STATUS_TONE[b.status as keyof typeof STATUS_TONE] ?? "neutral"}>{b.status}</Badge>
        {b.error && <p className="mt-1 max-w-xs text-sm text-red-300">{b.error}</p>}
      </td>
      <td className="px-3 py-2 tabular-nums" data-testid="backup-size" data-bytes={b.size_bytes ?? undefined}>
        {formatBytes(b.size_bytes)}
      </td>
      <td className="px-3 py-2">
        {b.sha256 ? (
          <code className="break-all font-mono text-sm text-neutral-200" title={b.sha256}>
            {b.sha256.slice(0, 16)}…
          </code>
        ) : (
          "—"
        )}
      </td>
      <td className="px-3 py-2">{b.encrypted ? <Badge tone="green">Yes</Badge> : <Badge tone="orange">No</Badge>}</td>
      <td className="px-3 py-2 text-right">
        {b.status === "completed" && (
          <a
            href={backupDownloadUrl(b.file_name)}
            download={b.file_name}
            aria-label={`Download ${b.file_name}`}
            className="inline-flex min-h-11 items-center gap-2 rounded-xl border border-neutral-700 bg-neutral-800 px-4 font-semibold text-neutral-100 hover:bg-neutral-700 focus-visible:outline-3 focus-visible:outline-sky-400"
          >
            <Download aria-hidden className="size-4" />
            Download
          </a>
        )}
      </td>
    </tr>
  );
}

function RestoreInstructions() {
  return (
    <Card aria-labelledby="restore-heading">
      <h2 id="restore-heading" className="mb-3 text-xl font-semibold text-green-400">
        How to restore
      </h2>
      <ol className="list-decimal space-y-2 pl-6 text-neutral-200">
        <li>
          Stop the app (web and worker): a restore refuses to run while the worker is running, unless you add{" "}
          <code className="text-green-300">--force</code>.
        </li>
        <li>
          On the server, in the app folder, run{" "}
          <code className="rounded bg-neutral-950 px-2 py-1 text-green-300">npm run restore -- data/backups/&lt;file&gt;</code> (a
          downloaded file can be restored from any path). It asks before replacing anything; add{" "}
          <code className="text-green-300">--yes</code> to skip the question.
        </li>
        <li>
          An encrypted backup (<code className="text-green-300">.db.gz.enc</code>) needs the same{" "}
          <code className="text-green-300">BACKUP_ENCRYPTION_KEY</code> in <code className="text-green-300">.env</code> that wrote it. The
          restore checks the key, the file&apos;s authentication tag, the recorded checksum and SQLite&apos;s integrity check; a wrong key
          or a damaged file is refused with one line.
        </li>
        <li>
          The current database is kept beside it as <code className="text-green-300">&lt;db&gt;.before-restore-&lt;time&gt;</code>; then
          start the app again with <code className="text-green-300">npm start</code>.
        </li>
      </ol>
    </Card>
  );
}
