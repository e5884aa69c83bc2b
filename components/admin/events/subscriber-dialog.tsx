"use client";

import { useEffect, useId } from "react";
import { useForm, useWatch, type Path } from "react-hook-form";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { useCreateSubscriber, useUpdateSubscriber, type SubscriberRow } from "@/lib/client/event-system";
import { SUBSCRIBER_KINDS } from "@/lib/events/subscribers/config";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { inputClass, labelClass } from "@/components/admin/events/shared";
import type { SubscriberFormInput, SubscriberFormOutput } from "@/components/admin/events/subscriber-form-schema";

const resolver = lazyZodResolver<SubscriberFormInput, SubscriberFormOutput>(() =>
  import("@/components/admin/events/subscriber-form-schema").then((m) => m.subscriberFormSchema),
);

const KIND_HINTS: Record<string, string> = {
  webhook: "POSTs each event as signed JSON to a URL.",
  notify: "Sends a Pushover notification.",
  import: "Imports a received file (file.received events).",
  backup: "Runs a backup (e.g. after an import).",
  cache: "Clears server caches.",
};

const FILTER_HELP =
  'All must hold. Paths: payload.…, metadata.…, or a payload field. Values: a literal, a glob ("Blue*"), or operators $gt $gte $lt $lte $ne $in, e.g. {"payload.strain": "Blue*", "payload.grams": {"$gt": 0}}';

function toFormValues(s: SubscriberRow | null): SubscriberFormInput {
  const config = { ...((s?.config as Record<string, unknown> | null) ?? {}) };
  const url = s?.kind === "webhook" && typeof config.url === "string" ? config.url : "";
  if (s?.kind === "webhook") delete config.url;
  return {
    name: s?.name ?? "",
    kind: (s?.kind as SubscriberFormInput["kind"]) ?? "webhook",
    event_types: s?.event_types ?? "",
    url,
    config: Object.keys(config).length ? JSON.stringify(config, null, 2) : "",
    filter: s?.filter ? JSON.stringify(s.filter, null, 2) : "",
    max_attempts: s?.max_attempts ?? 8,
    ordered: s?.ordered ?? false,
    active: s?.active ?? true,
  };
}

const FIELDS: Path<SubscriberFormInput>[] = ["name", "kind", "event_types", "url", "config", "filter", "max_attempts", "ordered", "active"];

/** Create or edit a subscriber; the filter and config are JSON, checked with the server's rules. */
export function SubscriberDialog({
  open,
  onOpenChange,
  subscriber,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** null: a new subscriber. */
  subscriber: SubscriberRow | null;
  onCreated?: (name: string, secret: string | null) => void;
}) {
  const create = useCreateSubscriber();
  const update = useUpdateSubscriber();
  const form = useForm<SubscriberFormInput, unknown, SubscriberFormOutput>({ resolver, defaultValues: toFormValues(subscriber) });
  const { register, handleSubmit, formState, setError, reset, control } = form;
  const kind = useWatch({ control, name: "kind" });
  const ids = { kind: useId(), config: useId(), filter: useId() };

  useEffect(() => {
    if (open) {
      resolver.preload();
      reset(toFormValues(subscriber));
    }
  }, [open, subscriber, reset]);

  function onServerError(error: Error) {
    // The server reports webhook config problems under `config` (the URL is part of it).
    if (!applyServerFieldErrors(error, setError, FIELDS)) toast.error(error.message);
  }

  const submit = handleSubmit((v) => {
    const config = v.kind === "webhook" ? { ...(v.config ?? {}), url: v.url } : (v.config ?? {});
    if (subscriber) {
      update.mutate(
        {
          id: subscriber.id,
          body: {
            name: v.name,
            event_types: v.event_types,
            filter: v.filter,
            config,
            max_attempts: v.max_attempts,
            ordered: v.ordered,
            active: v.active,
          },
        },
        {
          onSuccess: () => {
            toast.success(`Subscriber “${v.name}” saved`);
            onOpenChange(false);
          },
          onError: onServerError,
        },
      );
    } else {
      create.mutate(
        {
          name: v.name,
          kind: v.kind,
          event_types: v.event_types,
          filter: v.filter,
          config,
          max_attempts: v.max_attempts,
          ordered: v.ordered,
          active: v.active,
        },
        {
          onSuccess: (res) => {
            toast.success(`Subscriber “${res.subscriber.name}” created`);
            onCreated?.(res.subscriber.name, res.secret);
            onOpenChange(false);
          },
          onError: onServerError,
        },
      );
    }
  });

  const errors = formState.errors;
  const busy = create.isPending || update.isPending;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={subscriber ? `Edit subscriber “${subscriber.name}”` : "New subscriber"}
      className="max-h-[92vh] w-[min(96vw,44rem)] overflow-y-auto"
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" autoComplete="off" error={errors.name?.message} {...register("name")} />
          <div className="flex flex-col gap-1">
            {subscriber ? (
              <span className={labelClass}>Kind</span>
            ) : (
              <label htmlFor={ids.kind} className={labelClass}>
                Kind
              </label>
            )}
            {subscriber ? (
              // The kind is fixed once created (its config depends on it).
              <p id={ids.kind} className="flex min-h-12 items-center font-semibold">
                {subscriber.kind}
              </p>
            ) : (
              <select id={ids.kind} className={`${inputClass} min-h-12`} {...register("kind")}>
                {SUBSCRIBER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            )}
            <p className="text-sm text-neutral-300">{KIND_HINTS[kind] ?? ""}</p>
          </div>
        </div>
        <Field
          label="Event types"
          autoComplete="off"
          placeholder="finished_good.*,batch.stage_changed"
          hint="Comma-separated types or globs (* matches anything), e.g. batch.* or test.ping."
          error={errors.event_types?.message}
          {...register("event_types")}
        />
        {kind === "webhook" && (
          <Field
            label="URL"
            type="url"
            autoComplete="off"
            placeholder="https://example.com/hooks/preroll"
            error={errors.url?.message}
            {...register("url")}
          />
        )}
        <JsonArea
          id={ids.filter}
          label="Filter (JSON)"
          hint={FILTER_HELP}
          error={errors.filter?.message}
          placeholder='{"payload.strain": "Blue*"}'
          {...register("filter")}
        />
        <JsonArea
          id={ids.config}
          label={kind === "webhook" ? "Extra webhook config (JSON)" : "Config (JSON)"}
          hint={
            kind === "webhook" ? 'Optional: {"timeout_ms": 5000, "headers": {"Authorization": "…"}}' : "Optional settings of this kind."
          }
          error={errors.config?.message}
          {...register("config")}
        />
        <div className="grid gap-4 md:grid-cols-3">
          <Field
            label="Max attempts"
            type="number"
            min={1}
            max={20}
            error={errors.max_attempts?.message}
            {...register("max_attempts", { valueAsNumber: true })}
          />
          <label className="flex min-h-12 items-center gap-3 self-end">
            <input type="checkbox" className="size-5" {...register("ordered")} />
            <span>Deliver in order</span>
          </label>
          <label className="flex min-h-12 items-center gap-3 self-end">
            <input type="checkbox" className="size-5" {...register("active")} />
            <span>Active</span>
          </label>
        </div>
        <div className="flex justify-end gap-3">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {subscriber ? "Save subscriber" : "Create subscriber"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

const JsonArea = ({
  id,
  label,
  hint,
  error,
  ...rest
}: { id: string; label: string; hint: string; error?: string } & React.TextareaHTMLAttributes<HTMLTextAreaElement> & {
    ref?: React.Ref<HTMLTextAreaElement>;
  }) => (
  <div className="flex flex-col gap-1">
    <label htmlFor={id} className={labelClass}>
      {label}
    </label>
    <textarea
      id={id}
      rows={4}
      spellCheck={false}
      aria-invalid={error ? true : undefined}
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      className={`${inputClass} py-2 font-mono text-sm ${error ? "border-red-500" : ""}`}
      {...rest}
    />
    <p id={`${id}-hint`} className="text-sm text-neutral-300">
      {hint}
    </p>
    {error && (
      <p id={`${id}-error`} className="text-sm text-red-300">
        {error}
      </p>
    )}
  </div>
);
