import type { FieldValues, Resolver } from "react-hook-form";
import type { ZodType } from "zod";

/**
 * A react-hook-form resolver that validates with a zod schema loaded on first use: floor pages
 * keep the server's validation rules without shipping zod (≈ 60 KB compressed) in their initial
 * JavaScript (UI-GUIDE §5). Call `preload()` when a form opens so the first submit does not wait.
 */
export function lazyZodResolver<Input extends FieldValues, Output>(
  loadSchema: () => Promise<ZodType<Output, Input>>,
): Resolver<Input, unknown, Output> & { preload: () => void } {
  let inner: Promise<Resolver<Input, unknown, Output>> | null = null;
  const load = () =>
    (inner ??= Promise.all([import("@hookform/resolvers/zod"), loadSchema()]).then(
      ([{ zodResolver }, schema]) => zodResolver(schema as never) as unknown as Resolver<Input, unknown, Output>,
    ));
  const resolver: Resolver<Input, unknown, Output> = (values, context, options) => load().then((r) => r(values, context, options));
  return Object.assign(resolver, { preload: () => void load() });
}

/**
 * The same rules for a form without react-hook-form: loads the schema on first use and returns
 * the parsed values, or one message per field (the first issue of each).
 */
export async function validateLazily<Output>(
  loadSchema: () => Promise<ZodType<Output>>,
  values: Record<string, unknown>,
): Promise<{ data: Output; errors: null } | { data: null; errors: Record<string, string> }> {
  const result = (await loadSchema()).safeParse(values);
  if (result.success) return { data: result.data, errors: null };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "");
    errors[field] ??= issue.message;
  }
  return { data: null, errors };
}
