"use client";

import { useState } from "react";
import { get, useForm, type FieldErrors, type FieldValues, type Path } from "react-hook-form";
import { toast } from "@/components/ui/toast";
import { useSaveSettings, type SettingsPatch } from "@/lib/client/settings-admin";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import type { SettingsResponse } from "@/lib/domain/settings/settings-response";

/** The message under a field (nested names like `tare_weights.0_5`); zod's NaN words made plain. */
export function errorAt<T extends FieldValues>(errors: FieldErrors<T>, name: string): string | undefined {
  // A rule on a whole list (e.g. allocation's sum) sits at `name.root` once its items are fields.
  const at = get(errors, name) as { message?: string; root?: { message?: string } } | undefined;
  const message = at?.message ?? at?.root?.message;
  if (!message) return undefined;
  return /received NaN|expected number/i.test(message) ? "Enter a number" : message;
}

/**
 * A form over some settings keys: validated in the browser with the server's own rules (loaded on
 * first use), saved with PUT /api/settings, the server's field messages put under the fields.
 */
export function useSettingsForm<K extends keyof SettingsPatch & string>(keys: readonly K[], settings: SettingsResponse) {
  const save = useSaveSettings();
  type Values = Required<Pick<SettingsPatch, K>>;
  const [resolver] = useState(() =>
    lazyZodResolver<Values, Values>(() =>
      import("@/lib/domain/settings/settings-schema").then((m) => m.settingsSectionSchema(keys) as never),
    ),
  );
  const form = useForm<Values, unknown, Values>({
    resolver,
    defaultValues: Object.fromEntries(keys.map((k) => [k, settings[k]])) as never,
  });
  const onSubmit = (fieldNames: readonly string[], success: string) =>
    form.handleSubmit((values) =>
      save.mutateAsync(values as SettingsPatch).then(
        () => toast.success(success),
        (error: Error) => {
          if (!applyServerFieldErrors(error, form.setError, fieldNames as Path<Values>[])) toast.error(error.message);
        },
      ),
    );
  return { form, save, resolver, onSubmit };
}
