import { forwardRef } from "react";
import { cx } from "@/components/ui/cx";

type Variant = "primary" | "secondary" | "danger" | "ghost" | "add" | "subtract";
type Size = "md" | "lg" | "xl";

const variants: Record<Variant, string> = {
  primary: "bg-green-700 text-white hover:bg-green-800 active:bg-green-900",
  secondary: "bg-neutral-800 text-neutral-100 hover:bg-neutral-700 active:bg-neutral-900 border border-neutral-700",
  danger: "bg-red-700 text-white hover:bg-red-600 active:bg-red-800",
  ghost: "bg-transparent text-neutral-100 hover:bg-neutral-800",
  add: "bg-green-700 text-white hover:bg-green-800 active:bg-green-900",
  subtract: "bg-red-800 text-white hover:bg-red-700 active:bg-red-900",
};

// Floor sizes: every target at least 48 × 48 px (UI-GUIDE §1).
const sizes: Record<Size, string> = {
  md: "min-h-12 min-w-12 px-4 text-base",
  lg: "min-h-14 min-w-14 px-5 text-lg",
  xl: "min-h-16 min-w-20 px-6 text-xl",
};

export interface ButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  /** Shows progress and disables the button while a request runs. */
  busy?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "md", busy = false, disabled, className, children, type = "button", ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        "inline-flex select-none items-center justify-center gap-2 rounded-xl font-semibold transition-colors",
        "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-sky-400 disabled:cursor-not-allowed disabled:opacity-50",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    >
      {children}
    </button>
  );
});
