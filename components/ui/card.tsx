import { cx } from "@/components/ui/cx";

export function Card({ className, children, ...rest }: React.HTMLAttributes<HTMLElement>) {
  return (
    <section className={cx("rounded-2xl border border-neutral-800 bg-neutral-900 p-4", className)} {...rest}>
      {children}
    </section>
  );
}

export function CardTitle({ children, className }: { children: React.ReactNode; className?: string }) {
  return <h2 className={cx("mb-3 text-sm font-bold uppercase tracking-wide text-neutral-300", className)}>{children}</h2>;
}
