import { forwardRef, useId } from "react";
import { cx } from "@/components/ui/cx";

/**
 * A labelled input with its messages underneath: client-side zod messages and the server's
 * `details.fields` for the same name (react-hook-form puts both into `error`).
 */
export const Field = forwardRef<
  HTMLInputElement,
  React.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: string; wrapperClassName?: string }
>(function Field({ label, error, hint, wrapperClassName, className, id, ...rest }, ref) {
  const generated = useId();
  const inputId = id ?? generated;
  const messageId = `${inputId}-message`;
  return (
    <div className={cx("flex flex-col gap-1", wrapperClassName)}>
      <label htmlFor={inputId} className="text-sm font-semibold text-neutral-200">
        {label}
      </label>
      <input
        ref={ref}
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        className={cx(
          "min-h-12 rounded-xl border bg-neutral-950 px-3 text-lg tabular-nums text-neutral-50",
          error ? "border-red-500" : "border-neutral-600",
          "focus:outline-3 focus:outline-sky-400",
          className,
        )}
        {...rest}
      />
      {error ? (
        <p id={messageId} className="text-sm text-red-300">
          {error}
        </p>
      ) : hint ? (
        <p id={messageId} className="text-sm text-neutral-300">
          {hint}
        </p>
      ) : null}
    </div>
  );
});
