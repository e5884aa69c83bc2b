"use client";

import Link from "next/link";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Send } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { useSettings } from "@/lib/client/settings";
import { usePushoverSettings, useSavePushover, useSendPushoverTest } from "@/lib/client/settings-admin";
import { emptyAuditFilters, useAuditPage } from "@/lib/client/audit";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { sizeLabel } from "@/lib/client/format";
import { sizes } from "@/lib/domain/batches/constants";
import type { SettingsResponse } from "@/lib/domain/settings/settings-response";
import type { PushoverSettingsView } from "@/lib/domain/alerts/pushover-response";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { PaperSettingsSection } from "@/components/inventory/inventory-admin";
import { CentrifugeSettingsSection } from "@/components/settings/centrifuge-settings";
import { errorAt, useSettingsForm } from "@/components/settings/settings-form";

/** `/settings` (admins): every facility setting, a section at a time, and the trail of changes. */
export function SettingsPage() {
  const settings = useSettings();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">Settings</h1>
        <Link href="/audit?entity=setting" className="font-semibold text-sky-300 underline underline-offset-2">
          All settings changes in the audit trail
        </Link>
      </div>
      {settings.isPending ? (
        <Loading label="Loading settings">
          <div className="grid gap-6 lg:grid-cols-2">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-72" />
            ))}
          </div>
        </Loading>
      ) : settings.isError ? (
        <ErrorState title="Could not load the settings" error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // A save from anywhere (another admin, the live stream) starts the forms afresh.
        <SettingsSections key={JSON.stringify(settings.data)} settings={settings.data} />
      )}
    </div>
  );
}

function SettingsSections({ settings }: { settings: SettingsResponse }) {
  return (
    <>
      <div className="grid gap-6 lg:grid-cols-2">
        <ProductionSection settings={settings} />
        <WorkScheduleSection settings={settings} />
        <LabAndBalanceSection settings={settings} />
        <PushoverSection />
      </div>
      <PaperSettingsSection />
      <CentrifugeSettingsSection settings={settings} />
      <SettingsTrail />
    </>
  );
}

function SectionCard({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <Card aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-xl font-bold">
        {title}
      </h2>
      <p className="mb-4 text-neutral-300">{description}</p>
      {children}
    </Card>
  );
}

const PRODUCTION_KEYS = ["allocation", "tare_weights", "weight_tolerance_percent", "test_alert_hours"] as const;
const PRODUCTION_FIELDS = [
  "allocation",
  "allocation.0",
  "allocation.1",
  "allocation.2",
  "tare_weights.0_5",
  "tare_weights.0_7",
  "tare_weights.1_0",
  "weight_tolerance_percent",
  "test_alert_hours",
] as const;

function ProductionSection({ settings }: { settings: SettingsResponse }) {
  const { form, save, resolver, onSubmit } = useSettingsForm(PRODUCTION_KEYS, settings);
  const errors = form.formState.errors;
  const num = { valueAsNumber: true } as const;
  return (
    <SectionCard id="production" title="Production" description="How new plans split the grams, cone tare weights and alert timing.">
      <form onSubmit={onSubmit(PRODUCTION_FIELDS, "Production settings saved")} onFocus={resolver.preload} noValidate className="space-y-4">
        <fieldset className="space-y-2">
          <legend className="font-semibold">Allocation of grams (%)</legend>
          <div className="grid grid-cols-3 gap-3">
            {sizes.map((s, i) => (
              <Field
                key={s}
                label={`${sizeLabel(s)} share (%)`}
                type="number"
                step="any"
                error={errorAt(errors, `allocation.${i}`)}
                {...form.register(`allocation.${i}` as "allocation.0", num)}
              />
            ))}
          </div>
          {errorAt(errors, "allocation") ? <p className="text-sm text-red-300">{errorAt(errors, "allocation")}</p> : null}
          <p className="text-sm text-neutral-300">The three shares add up to 100.</p>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="font-semibold">Tare weight of one empty cone (g)</legend>
          <div className="grid grid-cols-3 gap-3">
            {sizes.map((s) => (
              <Field
                key={s}
                label={`${sizeLabel(s)} tare (g)`}
                type="number"
                step="any"
                error={errorAt(errors, `tare_weights.${s}`)}
                {...form.register(`tare_weights.${s}`, num)}
              />
            ))}
          </div>
        </fieldset>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Weight tolerance (%)"
            type="number"
            step="any"
            hint="Weigh-sample mean within this of target is green"
            error={errorAt(errors, "weight_tolerance_percent")}
            {...form.register("weight_tolerance_percent", num)}
          />
          <Field
            label="Test alert (hours)"
            type="number"
            step="any"
            hint="Alert when a batch waits on testing longer"
            error={errorAt(errors, "test_alert_hours")}
            {...form.register("test_alert_hours", num)}
          />
        </div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save production settings
        </Button>
      </form>
    </SectionCard>
  );
}

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

function WorkScheduleSection({ settings }: { settings: SettingsResponse }) {
  const { form, save, resolver, onSubmit } = useSettingsForm(["work_schedule"] as const, settings);
  const errors = form.formState.errors;
  return (
    <SectionCard id="schedule" title="Work schedule" description="Production rates and ETAs count only these working hours.">
      <form
        onSubmit={onSubmit(
          ["work_schedule", "work_schedule.start_hour", "work_schedule.end_hour", "work_schedule.work_days"],
          "Work schedule saved",
        )}
        onFocus={resolver.preload}
        noValidate
        className="space-y-4"
      >
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Start hour (0–23)"
            type="number"
            error={errorAt(errors, "work_schedule.start_hour")}
            {...form.register("work_schedule.start_hour", { valueAsNumber: true })}
          />
          <Field
            label="End hour (1–24)"
            type="number"
            error={errorAt(errors, "work_schedule.end_hour")}
            {...form.register("work_schedule.end_hour", { valueAsNumber: true })}
          />
        </div>
        <Controller
          control={form.control}
          name="work_schedule.work_days"
          render={({ field }) => (
            <fieldset aria-describedby={errorAt(errors, "work_schedule.work_days") ? "work-days-error" : undefined}>
              <legend className="mb-2 font-semibold">Work days</legend>
              <div className="flex flex-wrap gap-2">
                {DAYS.map((day, index) => {
                  const checked = field.value.includes(index);
                  return (
                    <label key={day} className="flex min-h-12 cursor-pointer items-center gap-2 rounded-xl border border-neutral-700 px-3">
                      <input
                        type="checkbox"
                        className="size-5 accent-green-600"
                        checked={checked}
                        onChange={() =>
                          field.onChange(checked ? field.value.filter((d) => d !== index) : [...field.value, index].sort((a, b) => a - b))
                        }
                      />
                      {day}
                    </label>
                  );
                })}
              </div>
              {errorAt(errors, "work_schedule.work_days") ? (
                <p id="work-days-error" className="mt-1 text-sm text-red-300">
                  {errorAt(errors, "work_schedule.work_days")}
                </p>
              ) : null}
            </fieldset>
          )}
        />
        {errorAt(errors, "work_schedule") ? <p className="text-sm text-red-300">{errorAt(errors, "work_schedule")}</p> : null}
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save work schedule
        </Button>
      </form>
    </SectionCard>
  );
}

function LabAndBalanceSection({ settings }: { settings: SettingsResponse }) {
  const { form, save, resolver, onSubmit } = useSettingsForm(["lab_state_holds", "mass_balance_tolerance_percent"] as const, settings);
  const errors = form.formState.errors;
  return (
    <SectionCard
      id="lab"
      title="Lab-state holds and mass balance"
      description="Compliance rules: untested stock and unexplained gram gaps."
    >
      <form
        onSubmit={onSubmit(["lab_state_holds.enabled", "mass_balance_tolerance_percent"], "Lab and mass-balance settings saved")}
        onFocus={resolver.preload}
        noValidate
        className="space-y-4"
      >
        <label className="flex min-h-12 cursor-pointer items-start gap-3">
          <input type="checkbox" className="mt-1 size-5 accent-green-600" {...form.register("lab_state_holds.enabled")} />
          <span>
            <span className="font-semibold">Hold stock until its batch passes testing</span>
            <span className="block text-sm text-neutral-300">
              When on, packages from batches without a passed test cannot be deducted for sale or held for wholesale unless an admin
              overrides with a reason. Off keeps existing clients working as before.
            </span>
          </span>
        </label>
        <Field
          label="Mass-balance tolerance (%)"
          type="number"
          step="any"
          hint="A batch whose unexplained gram gap is above this is flagged"
          error={errorAt(errors, "mass_balance_tolerance_percent")}
          {...form.register("mass_balance_tolerance_percent", { valueAsNumber: true })}
        />
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save lab and mass balance
        </Button>
      </form>
    </SectionCard>
  );
}

type PushoverForm = {
  enabled: boolean;
  user_key: string;
  app_token: string;
  clear_user_key: boolean;
  clear_app_token: boolean;
  warning_grams: number;
  critical_grams: number;
  cooldown_hours: number;
};
const pushoverResolver = lazyZodResolver<PushoverForm, PushoverForm>(() =>
  Promise.all([import("zod"), import("@/lib/domain/alerts/pushover-schema")]).then(
    ([{ z }, m]) => z.object({ ...m.updatePushoverSchema.shape, clear_user_key: z.boolean(), clear_app_token: z.boolean() }) as never,
  ),
);

function PushoverSection() {
  const pushover = usePushoverSettings();
  return (
    <SectionCard id="pushover" title="Pushover notifications" description="Low-stock and backup alerts to phones through Pushover.">
      {pushover.isPending ? (
        <Loading label="Loading Pushover settings">
          <Skeleton className="h-64" />
        </Loading>
      ) : pushover.isError ? (
        <ErrorState title="Could not load the Pushover settings" error={pushover.error} onRetry={() => void pushover.refetch()} />
      ) : (
        <PushoverForm key={JSON.stringify(pushover.data)} view={pushover.data} />
      )}
    </SectionCard>
  );
}

function PushoverForm({ view }: { view: PushoverSettingsView }) {
  const save = useSavePushover();
  const test = useSendPushoverTest();
  const [level, setLevel] = useState<"info" | "warning" | "critical">("info");
  // Secrets are never put back into the inputs: empty means "keep what is stored".
  const form = useForm<PushoverForm, unknown, PushoverForm>({
    resolver: pushoverResolver,
    defaultValues: {
      enabled: view.enabled,
      user_key: "",
      app_token: "",
      clear_user_key: false,
      clear_app_token: false,
      warning_grams: view.warning_grams,
      critical_grams: view.critical_grams,
      cooldown_hours: view.cooldown_hours,
    },
  });
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit((values) =>
    save
      .mutateAsync({
        enabled: values.enabled,
        warning_grams: values.warning_grams,
        critical_grams: values.critical_grams,
        cooldown_hours: values.cooldown_hours,
        // Left out = unchanged; null = remove the stored key.
        user_key: values.clear_user_key ? null : values.user_key.trim() || undefined,
        app_token: values.clear_app_token ? null : values.app_token.trim() || undefined,
      })
      .then(
        () => toast.success("Pushover settings saved"),
        (error: Error) => {
          if (!applyServerFieldErrors(error, form.setError, ["user_key", "app_token", "warning_grams", "critical_grams", "cooldown_hours"]))
            toast.error(error.message);
        },
      ),
  );
  const sendTest = () =>
    test.mutate(level, {
      onSuccess: (res) => toast.success(res.message),
      onError: (error) => toast.error(error.message),
    });
  const userKeyStatus = view.has_user_key
    ? `Stored: ${view.user_key ?? "set"}${view.key_source === "environment" ? " (from the PUSHOVER_USER_KEY variable)" : ""}`
    : "No user key set";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2" aria-label="Pushover status">
        {view.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Off</Badge>}
        <Badge tone={view.has_user_key ? "green" : "orange"}>{view.has_user_key ? "User key stored" : "No user key"}</Badge>
        <Badge tone={view.has_app_token ? "green" : "orange"}>{view.has_app_token ? "App token stored" : "No app token"}</Badge>
      </div>
      <form onSubmit={onSubmit} onFocus={pushoverResolver.preload} noValidate className="space-y-4">
        <label className="flex min-h-12 cursor-pointer items-center gap-3">
          <input type="checkbox" className="size-5 accent-green-600" {...form.register("enabled")} />
          <span className="font-semibold">Send stock alerts through Pushover</span>
        </label>
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-2">
            <Field
              label="User key"
              type="password"
              autoComplete="off"
              placeholder={view.has_user_key ? "Leave empty to keep the stored key" : "Your Pushover user key"}
              hint={userKeyStatus}
              error={errorAt(errors, "user_key")}
              {...form.register("user_key")}
            />
            {view.key_source === "settings" ? (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-red-600" {...form.register("clear_user_key")} /> Remove the stored user key
              </label>
            ) : null}
          </div>
          <div className="space-y-2">
            <Field
              label="App token"
              type="password"
              autoComplete="off"
              placeholder={view.has_app_token ? "Leave empty to keep the stored token" : "Your Pushover application token"}
              hint={view.has_app_token ? "Stored (never shown)" : "No app token set"}
              error={errorAt(errors, "app_token")}
              {...form.register("app_token")}
            />
            {view.has_app_token ? (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-red-600" {...form.register("clear_app_token")} /> Remove the stored app
                token
              </label>
            ) : null}
          </div>
        </div>
        <div className="grid grid-cols-3 gap-3">
          <Field
            label="Warning below (g)"
            type="number"
            step="any"
            error={errorAt(errors, "warning_grams")}
            {...form.register("warning_grams", { valueAsNumber: true })}
          />
          <Field
            label="Critical below (g)"
            type="number"
            step="any"
            error={errorAt(errors, "critical_grams")}
            {...form.register("critical_grams", { valueAsNumber: true })}
          />
          <Field
            label="Cooldown (hours)"
            type="number"
            step="any"
            hint="per strain"
            error={errorAt(errors, "cooldown_hours")}
            {...form.register("cooldown_hours", { valueAsNumber: true })}
          />
        </div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save Pushover settings
        </Button>
      </form>
      <div className="flex flex-wrap items-end gap-3 border-t border-neutral-800 pt-4">
        <div className="flex flex-col gap-1">
          <label htmlFor="pushover-test-level" className="text-sm font-semibold text-neutral-200">
            Test level
          </label>
          <select
            id="pushover-test-level"
            value={level}
            onChange={(e) => setLevel(e.target.value as typeof level)}
            className="min-h-12 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-neutral-50"
          >
            <option value="info">Info</option>
            <option value="warning">Warning</option>
            <option value="critical">Critical</option>
          </select>
        </div>
        <Button onClick={sendTest} busy={test.isPending}>
          <Send aria-hidden className="size-4" /> Send test
        </Button>
        <p className="text-sm text-neutral-300">Sends with the stored keys (save first).</p>
      </div>
    </div>
  );
}

/** The latest settings changes (Pushover keys masked by the server). */
function SettingsTrail() {
  const trail = useAuditPage({ ...emptyAuditFilters, entity: "setting" }, undefined, 10);
  const rows = trail.data?.slice(0, 10) ?? [];
  return (
    <Card aria-labelledby="settings-trail-title">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="settings-trail-title" className="text-xl font-bold">
          Recent settings changes
        </h2>
        <Link href="/audit?entity=setting" className="font-semibold text-sky-300 underline underline-offset-2">
          Full audit trail of settings
        </Link>
      </div>
      {trail.isPending ? (
        <Loading label="Loading recent changes">
          <Skeleton className="h-32" />
        </Loading>
      ) : trail.isError ? (
        <ErrorState title="Could not load the recent changes" error={trail.error} onRetry={() => void trail.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No settings changed yet">Every save on this page is listed here with who made it.</EmptyState>
      ) : (
        <ul className="divide-y divide-neutral-800" data-testid="settings-trail">
          {rows.map((row) => (
            <li key={row.id} className="grid gap-1 py-2 text-sm md:grid-cols-[9rem_16rem_1fr_8rem]">
              <time dateTime={row.ts} className="tabular-nums text-neutral-300">
                {new Date(row.ts).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })}
              </time>
              <span className="break-all font-mono text-neutral-100">{row.batch}</span>
              <span className="break-all text-neutral-100">
                <span className="text-neutral-300">{row.old ?? "—"}</span> → {row.new ?? "—"}
              </span>
              <span className="text-neutral-200">{row.actor}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
