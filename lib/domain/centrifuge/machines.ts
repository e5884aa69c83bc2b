import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import type { Machine, Machines } from "@/lib/domain/centrifuge/settings-schema";
import { own } from "@/lib/safe-keys";

/** Shared pieces of the centrifuge request schemas, and machine look-up against the setting. */

export const DEFAULT_MACHINE = "silver_bullet";

/** A number, also when a form sends it as a numeric string ("2200"). */
export const numeric = <T extends z.ZodNumber>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), schema);

/** A machine id: checked against the `centrifuge_machines` setting by `resolveMachine`. */
export const machineId = z.string().trim().toLowerCase().min(1).max(50);

/**
 * The named machine from the setting, or a 400 shaped like every other validation error
 * (`details.fields[field]`). An omitted id means the Silver Bullet (or the first machine when an
 * admin removed it).
 */
export function resolveMachine(
  machines: Machines,
  id: string | undefined,
  field: string,
  location: "body" | "query" = "body",
): { id: string; machine: Machine } {
  const key = id ?? (own(machines, DEFAULT_MACHINE) ? DEFAULT_MACHINE : Object.keys(machines)[0]);
  // The id comes from a body or query: "constructor" or "__proto__" must not find Object's members.
  const machine = own(machines, key);
  if (!machine) {
    throw new ApiError(400, "validation_failed", `Invalid value for ${field}`, {
      location,
      fields: { [field]: [`Unknown centrifuge "${key}"; expected one of: ${Object.keys(machines).join(", ")}`] },
    });
  }
  return { id: key, machine };
}

/** The machines as the settings guide lists them. */
export function machinesList(machines: Machines) {
  return Object.fromEntries(
    Object.entries(machines).map(([id, m]) => [
      id,
      { id, name: m.name, radius_inches: m.radius_inches, min_rpm: m.min_rpm, max_rpm: m.max_rpm },
    ]),
  );
}

/** Every machine id a batch input names (batch-wide and per size) must exist in the setting. */
export function assertKnownMachines(
  machines: Machines,
  input: {
    centrifuge_machine?: string | null;
    centrifuge_settings_by_size?: Partial<Record<string, { centrifuge_machine?: string | null }>> | null;
  },
): void {
  if (input.centrifuge_machine) resolveMachine(machines, input.centrifuge_machine, "centrifuge_machine");
  for (const [size, values] of Object.entries(input.centrifuge_settings_by_size ?? {})) {
    if (values?.centrifuge_machine)
      resolveMachine(machines, values.centrifuge_machine, `centrifuge_settings_by_size.${size}.centrifuge_machine`);
  }
}
