import { z } from "zod";

/**
 * The three centrifuge settings (`centrifuge_machines`, `centrifuge_safety_zones`,
 * `impulse_zones`): their schemas and defaults. lib/domain/settings/{settings,defaults}.ts list
 * them beside the other settings; they live here so the physics and its numbers stay together.
 */

// ── Machines ──────────────────────────────────────────────────────────────────────────────────

export const machineSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    /** Rotor radius in inches (the manufacturers' unit); the physics converts to cm. */
    radius_inches: z.number().positive().max(100),
    min_rpm: z.number().int().min(1).max(100_000),
    max_rpm: z.number().int().min(1).max(100_000),
  })
  .refine((m) => m.max_rpm > m.min_rpm, { message: "max_rpm must be above min_rpm", path: ["max_rpm"] });

/** Machine id (`silver_bullet`) → spec. Admins may add machines; ids are snake_case. */
export const centrifugeMachinesSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "Machine ids are lower-case snake_case"), machineSchema)
  .refine((r) => Object.keys(r).length > 0, { message: "At least one machine is needed" });

export type Machine = z.output<typeof machineSchema>;
export type Machines = z.output<typeof centrifugeMachinesSchema>;

/** The contract's two machines. */
export const DEFAULT_CENTRIFUGE_MACHINES = {
  silver_bullet: { name: "Silver Bullet", radius_inches: 4.125, min_rpm: 500, max_rpm: 5000 },
  lab_geek: { name: "Lab Geek", radius_inches: 5.0, min_rpm: 500, max_rpm: 4500 },
} as const;

// ── Zones ─────────────────────────────────────────────────────────────────────────────────────

const zoneKey = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "Zone keys are lower-case snake_case");

/** Ascending rpm ceilings: a speed is in the first zone whose `max_rpm` it does not exceed. */
export const centrifugeSafetyZonesSchema = z
  .array(z.strictObject({ key: zoneKey, label: z.string().trim().min(1).max(100), max_rpm: z.number().int().positive() }))
  .min(1)
  .max(10)
  .refine((zones) => zones.every((zone, i) => i === 0 || zone.max_rpm > zones[i - 1].max_rpm), {
    message: "Zones must be in ascending max_rpm order",
  })
  .refine((zones) => new Set(zones.map((zone) => zone.key)).size === zones.length, { message: "Zone keys must be unique" });

/** Contiguous ascending impulse bands in N·s: `[min, max)`, the last one closed. */
export const impulseZonesSchema = z
  .array(
    z
      .strictObject({
        key: zoneKey,
        label: z.string().trim().min(1).max(100),
        min: z.number().min(0),
        max: z.number().positive(),
        description: z.string().max(500).default(""),
      })
      .refine((zone) => zone.max > zone.min, { message: "max must be above min", path: ["max"] }),
  )
  .min(1)
  .max(10)
  .refine((zones) => zones.every((zone, i) => i === 0 || Math.abs(zone.min - zones[i - 1].max) < 1e-9), {
    message: "Zones must be contiguous and ascending (each min = the previous max)",
  })
  .refine((zones) => new Set(zones.map((zone) => zone.key)).size === zones.length, { message: "Zone keys must be unique" });

export type SafetyZones = z.output<typeof centrifugeSafetyZonesSchema>;
export type ImpulseZones = z.output<typeof impulseZonesSchema>;

/** The contract's rpm zones: safe ≤ 3000, caution ≤ 4000, danger ≤ 5000. */
export const DEFAULT_CENTRIFUGE_SAFETY_ZONES = [
  { key: "safe", label: "Safe", max_rpm: 3000 },
  { key: "caution", label: "Caution", max_rpm: 4000 },
  { key: "danger", label: "Danger", max_rpm: 5000 },
] as const;

/**
 * Legacy impulse bands (N·s): light 0–15, moderate 15–30, optimal 30–45, heavy 45–100.
 *
 * Why the defaults are those × 2.54: the existing system's numbers are what its formula gives when
 * the rotor radius in INCHES is used as if it were CENTIMETRES (RCF ∝ radius, so every g-force and
 * every impulse it showed is exactly 2.54× too small; its example 2200 rpm on the Silver Bullet →
 * "228.5 g" is within 2.5 % of the 223.2 g that mistake gives, and "1 g for 15 s → 33.6 N·s"
 * follows from 228.5 g). We compute physically — radius 4.125 in = 10.4775 cm, 2200 rpm →
 * 566.95 g, 1 g for 15 s → 83.40 N·s — so the band edges scale by the same 2.54. Then every
 * setting keeps the zone operators know it by: the optimal band still spans ≈ 2103–2576 rpm for
 * 1 g, 15 s on the Silver Bullet, today's ≈ 2200 rpm / 15 s / 1 g is "optimal", and only the
 * numbers shown change (tests/unit/centrifuge-physics.test.ts checks all of this).
 */
export const LEGACY_IMPULSE_SCALE = 2.54;

const legacyImpulseZones = [
  { key: "light", label: "Light", min: 0, max: 15, description: "Loose pack; may leave air pockets and burn unevenly" },
  { key: "moderate", label: "Moderate", min: 15, max: 30, description: "Medium pack" },
  { key: "optimal", label: "Optimal", min: 30, max: 45, description: "Even, firm pack for a consistent draw and target weight" },
  { key: "heavy", label: "Heavy", min: 45, max: 100, description: "Very firm pack; may restrict the draw" },
] as const;

const scaled = (n: number) => Math.round(n * LEGACY_IMPULSE_SCALE * 1000) / 1000;

export const DEFAULT_IMPULSE_ZONES = legacyImpulseZones.map((zone) => ({
  ...zone,
  min: scaled(zone.min),
  max: scaled(zone.max),
}));
