import type { ImpulseZones, Machine, SafetyZones } from "@/lib/domain/centrifuge/settings-schema";

/**
 * Centrifuge physics (SPEC §3), pure functions:
 *   RCF (g)       = 1.118e-5 × radius_cm × rpm²        radius_cm = radius_inches × 2.54
 *   impulse (N·s) = weight_kg × RCF × 9.80665 × seconds
 * Values are computed unrounded; `round1`/`round2` are for the wire only, and zones are decided
 * on the unrounded value.
 */

export const RCF_CONSTANT = 1.118e-5;
export const CM_PER_INCH = 2.54;
/** Standard gravity, m/s². */
export const STANDARD_GRAVITY = 9.80665;
/** The range a batch's centrifuge time may be set to (contract: 1–90 s); target-match solves within it. */
export const TIME_BOUNDS = { min: 1, max: 90 } as const;

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Relative centrifugal force in g at `rpm` for a rotor radius given in centimetres. */
export function rcfFromCm(radiusCm: number, rpm: number): number {
  return RCF_CONSTANT * radiusCm * rpm * rpm;
}

/** Relative centrifugal force in g at `rpm` for a rotor radius given in inches (converted to cm). */
export function rcf(radiusInches: number, rpm: number): number {
  return rcfFromCm(radiusInches * CM_PER_INCH, rpm);
}

/** The rpm that gives `g` on a rotor of `radiusInches` (inverse of `rcf`). */
export function rpmForRcf(radiusInches: number, g: number): number {
  return Math.sqrt(g / (RCF_CONSTANT * radiusInches * CM_PER_INCH));
}

/** Impulse in N·s that `weightGrams` of material takes at `g` for `seconds`. */
export function impulse(weightGrams: number, g: number, seconds: number): number {
  return (weightGrams / 1000) * g * STANDARD_GRAVITY * seconds;
}

/** The g-force needed to give `weightGrams` an impulse of `targetNs` in `seconds`. */
export function rcfForImpulse(targetNs: number, weightGrams: number, seconds: number): number {
  return targetNs / ((weightGrams / 1000) * STANDARD_GRAVITY * seconds);
}

/** The seconds needed to give `weightGrams` an impulse of `targetNs` at `g`. */
export function secondsForImpulse(targetNs: number, weightGrams: number, g: number): number {
  return targetNs / ((weightGrams / 1000) * g * STANDARD_GRAVITY);
}

/**
 * The safety zone of a speed: the first zone whose `max_rpm` the speed does not exceed; above the
 * last ceiling it stays in the last (most severe) zone.
 */
export function safetyZone(rpm: number, zones: SafetyZones): string {
  return (zones.find((zone) => rpm <= zone.max_rpm) ?? zones[zones.length - 1]).key;
}

/**
 * The impulse zone of an impulse: bands are `[min, max)`, the last closed; below the first band it
 * is the first zone, above the last it stays in the last.
 */
export function impulseZone(value: number, zones: ImpulseZones): string {
  const inside = zones.find((zone, i) => value >= zone.min && (value < zone.max || i === zones.length - 1));
  if (inside) return inside.key;
  return value < zones[0].min ? zones[0].key : zones[zones.length - 1].key;
}

/** `{light: {min, max, label, description}, …}` in band order: the wire form of the zones. */
export function impulseZonesObject(zones: ImpulseZones) {
  return Object.fromEntries(
    zones.map((zone) => [zone.key, { min: zone.min, max: zone.max, label: zone.label, description: zone.description }]),
  );
}

/** A machine's g-force over an rpm range (both ends included when the step lands on them). */
export function curve(machine: Machine, rpmMin: number, rpmMax: number, step: number) {
  const points: { rpm: number; g_force: number }[] = [];
  for (let rpm = rpmMin; rpm <= rpmMax + 1e-9; rpm += step) points.push({ rpm, g_force: round1(rcf(machine.radius_inches, rpm)) });
  return points;
}

export type AdjustMode = "rpm" | "time";

export interface TargetMatch {
  target_impulse: number;
  adjust_mode: AdjustMode;
  /** Whole rpm: solved in `rpm` mode, the given one in `time` mode. */
  rpm: number;
  /** Whole seconds: solved in `time` mode, the given one in `rpm` mode. */
  time_seconds: number;
  /** The impulse the (rounded, bounded) settings actually give. */
  achieved_impulse: number;
  g_force: number;
  /** False when the target lies outside the machine's rpm range (or 1–90 s) and was clamped. */
  achievable: boolean;
  limited_by: "min_rpm" | "max_rpm" | "min_time" | "max_time" | null;
}

/**
 * Solves for the rpm (time fixed) or the time (rpm fixed) that gives `target` N·s to
 * `weightGrams`. RPM is bounded by the machine, time by 1–90 s; results are rounded to whole rpm
 * and whole seconds (what an operator can set), and the impulse those give is reported.
 */
export function solveTargetImpulse(input: {
  target: number;
  mode: AdjustMode;
  rpm: number;
  timeSeconds: number;
  weightGrams: number;
  machine: Machine;
}): TargetMatch {
  const { target, mode, weightGrams, machine } = input;
  let rpm = input.rpm;
  let seconds = input.timeSeconds;
  let limited: TargetMatch["limited_by"] = null;
  if (mode === "rpm") {
    const exact = rpmForRcf(machine.radius_inches, rcfForImpulse(target, weightGrams, seconds));
    rpm = Math.round(exact);
    if (rpm < machine.min_rpm) [rpm, limited] = [machine.min_rpm, "min_rpm"];
    else if (rpm > machine.max_rpm) [rpm, limited] = [machine.max_rpm, "max_rpm"];
  } else {
    const exact = secondsForImpulse(target, weightGrams, rcf(machine.radius_inches, rpm));
    seconds = Math.round(exact);
    if (seconds < TIME_BOUNDS.min) [seconds, limited] = [TIME_BOUNDS.min, "min_time"];
    else if (seconds > TIME_BOUNDS.max) [seconds, limited] = [TIME_BOUNDS.max, "max_time"];
  }
  const g = rcf(machine.radius_inches, rpm);
  return {
    target_impulse: target,
    adjust_mode: mode,
    rpm,
    time_seconds: seconds,
    achieved_impulse: impulse(weightGrams, g, seconds),
    g_force: g,
    achievable: limited === null,
    limited_by: limited,
  };
}
