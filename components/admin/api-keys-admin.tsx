"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { roles, type Role } from "@/lib/auth/roles";
import { DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS } from "@/lib/domain/api-keys/grace";
import { TextField } from "@/components/auth/form-field";
import { FormError } from "@/components/auth/form-error";
import { OneTimeSecret } from "@/components/auth/one-time-secret";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { dangerButton, formatDateTime, primaryButton, secondaryButton, selectClass } from "@/components/admin/format";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  active: boolean;
}

interface IssuedKey {
  success: true;
  api_key: string;
  key: ApiKeyRow;
  previous?: ApiKeyRow | null;
}

/** A secret just issued, shown once at the top of the page. */
interface Revealed {
  title: string;
  secret: string;
  note?: string;
}

const KEYS_KEY = ["admin", "api-keys"] as const;

type Status = "active" | "revoked" | "expired";
function statusOf(k: ApiKeyRow): Status {
  if (k.revoked_at) return "revoked";
  return k.active ? "active" : "expired";
}
const STATUS_CLASS: Record<Status, string> = {
  active: "bg-green-900 text-green-300",
  revoked: "bg-red-950 text-red-300",
  expired: "bg-neutral-800 text-neutral-400",
};

/** /admin/api-keys: keys for ApexAPI and integrations — list, create, regenerate with a grace period, revoke. */
export function ApiKeysAdmin() {
  const keys = useQuery({ queryKey: KEYS_KEY, queryFn: () => apiFetch<{ keys: ApiKeyRow[] }>("/api/api-keys") });
  const [revealed, setRevealed] = useState<Revealed | null>(null);

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold text-green-400">API keys</h1>
      <p className="max-w-3xl text-neutral-300">
        ApexAPI and other integrations send one of these keys in the <code className="text-green-300">X-API-Key</code> header. Keys are
        stored hashed: the full key is shown only once, when it is created or regenerated. Regenerating keeps the old key working for{" "}
        {DEFAULT_GRACE_HOURS} hours by default (also when ApexAPI&apos;s own &quot;regenerate&quot; is used), so nothing is cut off while
        you switch; a grace period of 0 revokes it at once.
      </p>
      {revealed && (
        <OneTimeSecret
          key={revealed.secret}
          title={revealed.title}
          secret={revealed.secret}
          testId="api-key-secret"
          onDismiss={() => setRevealed(null)}
        >
          {revealed.note && <p className="text-sm text-neutral-200">{revealed.note}</p>}
          <p className="text-sm text-neutral-300">
            For ApexAPI, store it in <code className="text-green-300">apex_config.json</code> as{" "}
            <code className="text-green-300">&quot;dashboard_api_key&quot;</code>, then restart ApexAPI.
          </p>
        </OneTimeSecret>
      )}
      <CreateKeyForm onCreated={setRevealed} />
      <section aria-labelledby="key-list-heading" className="space-y-3">
        <h2 id="key-list-heading" className="text-xl font-semibold text-green-400">
          Keys {keys.data && <span className="text-base font-normal text-neutral-400">({keys.data.keys.length})</span>}
        </h2>
        {keys.isPending && <p className="text-neutral-400">Loading API keys…</p>}
        {keys.isError && <FormError error={keys.error} />}
        {keys.data && keys.data.keys.length === 0 && <p className="text-neutral-400">No API keys yet.</p>}
        {keys.data && keys.data.keys.length > 0 && (
          <ul className="space-y-3" data-testid="api-key-list">
            {keys.data.keys.map((k) => (
              <KeyItem key={k.id} apiKey={k} onRegenerated={setRevealed} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (r: Revealed) => void }) {
  const client = useQueryClient();
  const roleId = useId();
  const [role, setRole] = useState<Role>("operator");
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; role: Role }) => apiMutate<IssuedKey>("/api/api-keys", body),
    onSuccess: (res) => {
      onCreated({ title: `New API key “${res.key.name}”`, secret: res.api_key });
      return client.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const name = String(new FormData(formEl).get("name") ?? "").trim();
    if (!name || name.length > 100) {
      setNameError("Give the key a name of up to 100 characters, e.g. ApexAPI");
      return;
    }
    setNameError(null);
    create.mutate({ name, role }, { onSuccess: () => formEl.reset() });
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="create-key-heading"
      className="space-y-4 rounded-xl border border-neutral-800 bg-neutral-900 p-4"
    >
      <h2 id="create-key-heading" className="text-xl font-semibold text-green-400">
        Create API key
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          required
          maxLength={100}
          placeholder="ApexAPI"
          hint="Where the key is used."
          error={nameError}
        />
        <div>
          <label htmlFor={roleId} className="block text-sm text-neutral-300">
            Role
          </label>
          <select
            id={roleId}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            className={`${selectClass} mt-1 min-h-12 w-full`}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-neutral-400">ApexAPI needs operator to record production.</p>
        </div>
      </div>
      <FormError error={create.error} />
      <button type="submit" disabled={create.isPending} className={primaryButton}>
        {create.isPending ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

function KeyItem({ apiKey, onRegenerated }: { apiKey: ApiKeyRow; onRegenerated: (r: Revealed) => void }) {
  const client = useQueryClient();
  const status = statusOf(apiKey);
  const [regenerating, setRegenerating] = useState(false);
  const [graceError, setGraceError] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);

  const regenerate = useMutation({
    mutationFn: (graceHours: number) => apiMutate<IssuedKey>(`/api/api-keys/${apiKey.id}/regenerate`, { grace_hours: graceHours }),
    onSuccess: (res) => {
      setRegenerating(false);
      const prev = res.previous;
      onRegenerated({
        title: `New key for “${res.key.name}”`,
        secret: res.api_key,
        note: !prev
          ? undefined
          : prev.revoked_at
            ? `The previous key (${prev.prefix}…) was revoked and no longer works.`
            : `The previous key (${prev.prefix}…) keeps working until ${formatDateTime(prev.expires_at)} — switch ApexAPI over before then.`,
      });
      return client.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: () => apiMutate<{ key: ApiKeyRow }>(`/api/api-keys/${apiKey.id}`, undefined, "DELETE"),
    onSuccess: () => {
      setConfirmRevoke(false);
      return client.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });

  function submitRegenerate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const raw = String(new FormData(e.currentTarget).get("grace_hours") ?? "").trim();
    const hours = raw === "" ? NaN : Number(raw);
    if (!Number.isFinite(hours) || hours < 0 || hours > MAX_GRACE_HOURS) {
      setGraceError(`Enter a number of hours from 0 to ${MAX_GRACE_HOURS}`);
      return;
    }
    setGraceError(null);
    regenerate.mutate(hours);
  }

  const busy = regenerate.isPending || revoke.isPending;
  return (
    <li data-testid="api-key-row" data-key-name={apiKey.name} className="rounded-xl border border-neutral-800 bg-neutral-900 p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-lg font-semibold text-green-400">
            {apiKey.name} <code className="ml-1 text-base font-normal text-neutral-300">{apiKey.prefix}…</code>
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-neutral-400 sm:grid-cols-[auto_1fr_auto_1fr]">
            <dt>Role</dt>
            <dd className="text-neutral-200">{apiKey.role}</dd>
            <dt>Created</dt>
            <dd className="text-neutral-200">{formatDateTime(apiKey.created_at)}</dd>
            <dt>Last used</dt>
            <dd className="text-neutral-200">{formatDateTime(apiKey.last_used_at, "never")}</dd>
            <dt>{apiKey.revoked_at ? "Revoked" : "Expires"}</dt>
            <dd className="text-neutral-200">
              {apiKey.revoked_at ? formatDateTime(apiKey.revoked_at) : formatDateTime(apiKey.expires_at, "never")}
            </dd>
          </dl>
        </div>
        <span data-testid="api-key-status" className={`rounded-full px-3 py-1 text-sm font-semibold ${STATUS_CLASS[status]}`}>
          {status}
        </span>
      </div>

      {status === "active" && (
        <div className="mt-3 flex flex-wrap gap-2">
          <button
            type="button"
            disabled={busy}
            aria-expanded={regenerating}
            onClick={() => setRegenerating((v) => !v)}
            className={secondaryButton}
            aria-label={`Regenerate ${apiKey.name} (${apiKey.prefix}…)`}
          >
            Regenerate
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => setConfirmRevoke(true)}
            className={dangerButton}
            aria-label={`Revoke ${apiKey.name} (${apiKey.prefix}…)`}
          >
            Revoke
          </button>
        </div>
      )}

      {regenerating && (
        <form onSubmit={submitRegenerate} noValidate className="mt-3 space-y-2 rounded-lg bg-neutral-800/60 p-3">
          <div className="flex flex-wrap items-end gap-2">
            <TextField
              label="Grace period (hours)"
              name="grace_hours"
              type="number"
              inputMode="decimal"
              min={0}
              max={MAX_GRACE_HOURS}
              step="any"
              defaultValue={DEFAULT_GRACE_HOURS}
              className="w-48"
              error={graceError}
            />
            <button type="submit" disabled={busy} className={`${primaryButton} min-h-12`}>
              {regenerate.isPending ? "Regenerating…" : "Create new key"}
            </button>
          </div>
          <p className="text-sm text-neutral-300">
            A new key with the same name and role is created. The old key keeps working for this many hours ({DEFAULT_GRACE_HOURS} by
            default) so ApexAPI can be switched over without an outage; 0 revokes it immediately.
          </p>
        </form>
      )}
      <FormError error={regenerate.error} className="mt-3" />

      {confirmRevoke && (
        <ConfirmDialog
          title={`Revoke ${apiKey.name}?`}
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate()}
          onCancel={() => {
            setConfirmRevoke(false);
            revoke.reset();
          }}
        >
          <p>
            The key <code className="text-green-300">{apiKey.prefix}…</code> stops working at once; anything still using it (ApexAPI) gets
            &quot;Invalid API key&quot; errors.
          </p>
          <p>To swap keys without an outage, regenerate it with a grace period instead.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
