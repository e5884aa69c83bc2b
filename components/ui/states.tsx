import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";

/** A grey block the size of what is loading: no layout shift when the data arrives. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx("animate-pulse rounded-xl bg-neutral-800", className)} />;
}

/** Loading region announced once to screen readers. */
export function Loading({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div aria-busy="true" aria-label={label}>
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-2xl border border-dashed border-neutral-700 p-8 text-center">
      <p className="text-lg font-semibold">{title}</p>
      {children ? <div className="mt-2 text-neutral-300">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="rounded-2xl border border-red-800 bg-red-950/60 p-6">
      <p className="text-lg font-semibold text-red-200">{title}</p>
      <p className="mt-1 text-red-200">{message}</p>
      {onRetry ? (
        <Button className="mt-4" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
