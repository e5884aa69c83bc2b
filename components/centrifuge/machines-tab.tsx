"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { useCan } from "@/lib/client/current-user";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { useSaveMachines, type Machines } from "@/lib/client/centrifuge-desk";
import type { CentrifugeMachine, SettingsGuideResponse } from "@/lib/domain/centrifuge/centrifuge-response";
import { CM_PER_INCH, rcf } from "@/lib/domain/centrifuge/physics";
import { DataTable, formatG, formatImpulse, formatNumber, ZoneBadge } from "@/components/centrifuge/shared";

/** Machines, rpm safety zones and the starting ranges; admins add, edit and remove machines. */
export function MachinesTab({ guide }: { guide: SettingsGuideResponse }) {
  const isAdmin = useCan("admin");
  const [editing, setEditing] = useState<CentrifugeMachine | "new" | null>(null);
  const [removing, setRemoving] = useState<CentrifugeMachine | null>(null);
  const save = useSaveMachines();
  const machines = Object.values(guide.centrifuges);
  const rec = guide.recommendations;

  const asSetting = (list: CentrifugeMachine[]): Machines => Object.fromEntries(list.map(({ id, ...m }) => [id, m]));

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card aria-labelledby="machines-heading">
        <div className="mb-3 flex items-center justify-between gap-3">
          <h2 id="machines-heading" className="text-sm font-bold uppercase tracking-wide text-neutral-300">
            Machines
          </h2>
          {isAdmin ? (
            <Button variant="primary" onClick={() => setEditing("new")}>
              <Plus aria-hidden className="size-5" /> Add machine
            </Button>
          ) : null}
        </div>
        <DataTable
          caption="Centrifuge machines"
          columns={["Machine", "Id", "Rotor radius", "Speed range", "G-force at max", ...(isAdmin ? ["Actions"] : [])]}
          rows={machines.map((m) => [
            m.name,
            <code key="id" className="text-neutral-200">
              {m.id}
            </code>,
            `${formatNumber(m.radius_inches, 3)} in (${formatNumber(m.radius_inches * CM_PER_INCH, 2)} cm)`,
            `${formatNumber(m.min_rpm)}–${formatNumber(m.max_rpm)} rpm`,
            formatG(rcf(m.radius_inches, m.max_rpm)),
            ...(isAdmin
              ? [
                  <div key="actions" className="flex gap-2">
                    <Button aria-label={`Edit ${m.name}`} onClick={() => setEditing(m)}>
                      <Pencil aria-hidden className="size-4" /> Edit
                    </Button>
                    <Button aria-label={`Remove ${m.name}`} variant="danger" disabled={machines.length <= 1} onClick={() => setRemoving(m)}>
                      <Trash2 aria-hidden className="size-4" /> Remove
                    </Button>
                  </div>,
                ]
              : []),
          ])}
        />
        {!isAdmin ? <p className="mt-3 text-sm text-neutral-300">Admins can add and edit machines.</p> : null}
      </Card>

      <div className="space-y-4">
        <Card aria-labelledby="safety-zones-heading">
          <CardTitle>
            <span id="safety-zones-heading">RPM safety zones</span>
          </CardTitle>
          <ul className="space-y-2">
            {guide.safety_zones.map((z, i) => (
              <li key={z.key} className="flex items-center gap-3">
                <ZoneBadge kind="safety" zone={z.key} label={z.label} />
                <span className="tabular-nums text-neutral-200">
                  {i === 0 ? "up to" : `${formatNumber(guide.safety_zones[i - 1].max_rpm + 1)} to`} {formatNumber(z.max_rpm)} rpm
                  {i === guide.safety_zones.length - 1 ? " (and above)" : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
        <Card aria-labelledby="settings-guide-heading">
          <CardTitle>
            <span id="settings-guide-heading">Starting ranges ({guide.material} material)</span>
          </CardTitle>
          <p className="mb-3 text-neutral-200">
            {formatNumber(rec.rpm_range.min)}–{formatNumber(rec.rpm_range.max)} rpm, {rec.time_range_seconds.min}–
            {rec.time_range_seconds.max} s, {rec.cycles} cycles. {rec.notes}.
          </p>
          <DataTable
            caption="What the starting range means on each machine"
            columns={["Machine", "G-force", "Impulse on 1 g"]}
            rows={Object.entries(rec.per_machine).map(([id, p]) => [
              guide.centrifuges[id]?.name ?? id,
              `${formatG(p.g_force_min)} – ${formatG(p.g_force_max)}`,
              `${formatImpulse(p.impulse_1g_min)} – ${formatImpulse(p.impulse_1g_max)}`,
            ])}
          />
        </Card>
      </div>

      {editing ? (
        <MachineDialog
          machine={editing === "new" ? null : editing}
          existingIds={machines.map((m) => m.id)}
          saving={save.isPending}
          error={save.error}
          onClose={() => {
            save.reset();
            setEditing(null);
          }}
          onSave={(machine) =>
            save.mutate(asSetting(editing === "new" ? [...machines, machine] : machines.map((m) => (m.id === machine.id ? machine : m))), {
              onSuccess: () => {
                toast.success(`${machine.name} saved`);
                setEditing(null);
              },
              onError: (error) => toast.error(error.message),
            })
          }
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove machine"
          busy={save.isPending}
          error={save.error}
          onCancel={() => {
            save.reset();
            setRemoving(null);
          }}
          onConfirm={() =>
            save.mutate(asSetting(machines.filter((m) => m.id !== removing.id)), {
              onSuccess: () => {
                toast.success(`${removing.name} removed`);
                setRemoving(null);
              },
            })
          }
        >
          The calculators stop offering it. Batches and recorded runs that name it keep their values.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

type MachineForm = { id: string; name: string; radius_inches: string; min_rpm: string; max_rpm: string };
type MachineOutput = { id: string; name: string; radius_inches: number; min_rpm: number; max_rpm: number };

/** The machine schema of the `centrifuge_machines` setting, with its id rule, numbers from text inputs. */
const resolver = lazyZodResolver<MachineForm, MachineOutput>(() =>
  Promise.all([import("zod"), import("@/lib/domain/centrifuge/settings-schema")]).then(([{ z }, m]) => {
    const num = (schema: import("zod").ZodNumber) =>
      z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), schema);
    const shape = m.machineSchema.shape;
    return z
      .object({
        id: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "Lower-case letters, digits and _; starts with a letter"),
        name: shape.name,
        radius_inches: num(shape.radius_inches),
        min_rpm: num(shape.min_rpm),
        max_rpm: num(shape.max_rpm),
      })
      .refine((v) => v.max_rpm > v.min_rpm, { message: "Must be above the lowest RPM", path: ["max_rpm"] }) as never;
  }),
);

function MachineDialog({
  machine,
  existingIds,
  saving,
  error,
  onClose,
  onSave,
}: {
  machine: CentrifugeMachine | null;
  existingIds: string[];
  saving: boolean;
  error: unknown;
  onClose: () => void;
  onSave: (machine: CentrifugeMachine) => void;
}) {
  resolver.preload();
  const form = useForm<MachineForm, unknown, MachineOutput>({
    resolver,
    defaultValues: machine
      ? {
          id: machine.id,
          name: machine.name,
          radius_inches: String(machine.radius_inches),
          min_rpm: String(machine.min_rpm),
          max_rpm: String(machine.max_rpm),
        }
      : { id: "", name: "", radius_inches: "", min_rpm: "500", max_rpm: "" },
  });
  const errors = form.formState.errors;
  const id = useWatch({ control: form.control, name: "id" });
  const prefix = `centrifuge_machines.${id}.`;
  const server = serverFieldMessages(error, {
    id: "centrifuge_machines",
    name: `${prefix}name`,
    radius_inches: `${prefix}radius_inches`,
    min_rpm: `${prefix}min_rpm`,
    max_rpm: `${prefix}max_rpm`,
  });
  const submit = form.handleSubmit((v) => {
    if (!machine && existingIds.includes(v.id)) {
      form.setError("id", { type: "duplicate", message: "A machine with this id exists; edit it instead" });
      return;
    }
    onSave(v);
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={machine ? `Edit ${machine.name}` : "Add machine"}
      description="Used by the calculators and batch settings. The rotor radius is in inches, as the manufacturer gives it."
    >
      <form onSubmit={submit} noValidate className="grid grid-cols-2 gap-3">
        <Field
          label="Machine name"
          autoComplete="off"
          className="col-span-2"
          error={errors.name?.message ?? server.name}
          {...form.register("name")}
        />
        <Field
          label="Machine id"
          autoComplete="off"
          readOnly={machine !== null}
          hint={machine ? "Fixed once created" : "e.g. lab_geek_2"}
          error={errors.id?.message ?? server.id}
          {...form.register("id")}
        />
        <Field
          label="Rotor radius (in)"
          inputMode="decimal"
          autoComplete="off"
          error={errors.radius_inches?.message ?? server.radius_inches}
          {...form.register("radius_inches")}
        />
        <Field
          label="Lowest RPM"
          inputMode="numeric"
          autoComplete="off"
          error={errors.min_rpm?.message ?? server.min_rpm}
          {...form.register("min_rpm")}
        />
        <Field
          label="Highest RPM"
          inputMode="numeric"
          autoComplete="off"
          error={errors.max_rpm?.message ?? server.max_rpm}
          {...form.register("max_rpm")}
        />
        <div className="col-span-2 mt-2 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={saving}>
            Save machine
          </Button>
        </div>
        {machine === null ? null : (
          <p className="col-span-2 text-sm text-neutral-300">
            <Badge tone="neutral">Note</Badge> Changing the radius changes every g-force and impulse shown for this machine.
          </p>
        )}
      </form>
    </Dialog>
  );
}
