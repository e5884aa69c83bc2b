import { forwardRef } from "react";
import type { LucideIcon } from "lucide-react";
import { cx } from "@/components/ui/cx";

export interface IconButtonProps extends Omit<React.ButtonHTMLAttributes<HTMLButtonElement>, "children"> {
  /** The accessible name (there is no visible text). */
  label: string;
  icon: LucideIcon;
}

/** A 48 × 48 px button showing only an icon (UI-GUIDE §1 touch targets); Radix triggers wrap it with `asChild`. */
export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton(
  { label, icon: Icon, className, type = "button", ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      aria-label={label}
      className={cx(
        "flex min-h-12 min-w-12 items-center justify-center rounded-xl hover:bg-neutral-700 disabled:opacity-30",
        "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-sky-400",
        className,
      )}
      {...rest}
    >
      <Icon aria-hidden className="size-6" />
    </button>
  );
});
