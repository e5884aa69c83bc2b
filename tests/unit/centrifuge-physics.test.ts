import { describe, expect, it } from "vitest";
import {
  curve,
  impulse,
  impulseZone,
  impulseZonesObject,
  rcf,
  rcfForImpulse,
  rcfFromCm,
  rpmForRcf,
  safetyZone,
  secondsForImpulse,
  solveTargetImpulse,
} from "@/lib/domain/centrifuge/physics";
import {
  DEFAULT_CENTRIFUGE_MACHINES,
  DEFAULT_CENTRIFUGE_SAFETY_ZONES,
  DEFAULT_IMPULSE_ZONES,
  LEGACY_IMPULSE_SCALE,
  centrifugeMachinesSchema,
  centrifugeSafetyZonesSchema,
  impulseZonesSchema,
  type ImpulseZones,
} from "@/lib/domain/centrifuge/settings-schema";
import { settingSchemas } from "@/lib/domain/settings/settings";
import { defaultSettings } from "@/lib/domain/settings/defaults";

const silverBullet = DEFAULT_CENTRIFUGE_MACHINES.silver_bullet;
const labGeek = DEFAULT_CENTRIFUGE_MACHINES.lab_geek;
const zones = impulseZonesSchema.parse(DEFAULT_IMPULSE_ZONES);
const safety = centrifugeSafetyZonesSchema.parse(DEFAULT_CENTRIFUGE_SAFETY_ZONES);

describe("RCF and impulse (hand-computed)", () => {
  it("Silver Bullet 4.125 in = 10.4775 cm: 2200 rpm → 1.118e-5 × 10.4775 × 2200² = 566.950098 g", () => {
    expect(rcf(4.125, 2200)).toBeCloseTo(566.950098, 5);
    expect(rcf(silverBullet.radius_inches, 2200)).toBe(rcfFromCm(10.4775, 2200));
  });

  it("Lab Geek 5.0 in = 12.7 cm: 2200 rpm → 687.21224 g; 1000 rpm → 141.986 g", () => {
    expect(rcf(labGeek.radius_inches, 2200)).toBeCloseTo(687.21224, 5);
    expect(rcf(labGeek.radius_inches, 1000)).toBeCloseTo(141.986, 3);
  });

  it("impulse = kg × g × 9.80665 × s: 1 g at 566.950098 g for 15 s → 83.3982 N·s; 0.5 g for 30 s is the same", () => {
    expect(impulse(1, 566.950098, 15)).toBeCloseTo(83.3982, 4);
    expect(impulse(0.5, 566.950098, 30)).toBeCloseTo(83.3982, 4);
    expect(impulse(1, 1, 1)).toBeCloseTo(0.00980665, 10);
  });

  it("inverses: rpm for a g-force, g for an impulse, seconds for an impulse", () => {
    expect(rpmForRcf(4.125, 566.950098)).toBeCloseTo(2200, 6);
    expect(rcfForImpulse(83.3982176782755, 1, 15)).toBeCloseTo(566.950098, 6);
    expect(secondsForImpulse(83.3982176782755, 1, 566.950098)).toBeCloseTo(15, 6);
  });

  it("documents the legacy factor: its figures are the formula with the radius in inches used as cm", () => {
    // The legacy example: 2200 rpm on the Silver Bullet → "228.5 g"; 1 g for 15 s → "33.6 N·s".
    const legacyG = rcfFromCm(4.125, 2200); // 4.125 "cm": 1.118e-5 × 4.125 × 2200² = 223.2087 g
    expect(legacyG).toBeCloseTo(223.2087, 4);
    expect(Math.abs(legacyG - 228.5) / 228.5).toBeLessThan(0.025); // within 2.5 % of the documented figure
    expect(impulse(1, 228.5, 15)).toBeCloseTo(33.61, 2); // the documented 33.6 follows from 228.5 g
    expect(impulse(1, legacyG, 15)).toBeCloseTo(32.834, 3);
    // …and physics is exactly 2.54× that (RCF ∝ radius) — the factor the zone defaults are scaled by.
    expect(rcf(4.125, 2200) / legacyG).toBeCloseTo(2.54, 10);
    expect(LEGACY_IMPULSE_SCALE).toBe(2.54);
  });
});

describe("impulse zones", () => {
  it("defaults are the legacy bands light 0–15, moderate 15–30, optimal 30–45, heavy 45–100 × 2.54", () => {
    expect(zones.map((z) => [z.key, z.min, z.max])).toEqual([
      ["light", 0, 38.1],
      ["moderate", 38.1, 76.2],
      ["optimal", 76.2, 114.3],
      ["heavy", 114.3, 254],
    ]);
  });

  it("today's typical setting — 2200 rpm, 15 s, 1 g on the Silver Bullet (83.40 N·s) — is optimal", () => {
    const value = impulse(1, rcf(silverBullet.radius_inches, 2200), 15);
    expect(value).toBeCloseTo(83.4, 2);
    expect(impulseZone(value, zones)).toBe("optimal");
  });

  it("every setting keeps its legacy zone: the optimal band is still ≈ 2103–2576 rpm at 15 s, 1 g", () => {
    const at = (rpm: number) => impulseZone(impulse(1, rcf(4.125, rpm), 15), zones);
    const legacyZones: ImpulseZones = [
      { key: "light", label: "Light", min: 0, max: 15, description: "" },
      { key: "moderate", label: "Moderate", min: 15, max: 30, description: "" },
      { key: "optimal", label: "Optimal", min: 30, max: 45, description: "" },
      { key: "heavy", label: "Heavy", min: 45, max: 100, description: "" },
    ];
    const legacyAt = (rpm: number) => impulseZone(impulse(1, rcfFromCm(4.125, rpm), 15), legacyZones);
    for (const rpm of [1000, 1480, 1490, 2100, 2105, 2200, 2570, 2580, 3000, 5000]) expect(at(rpm), `${rpm} rpm`).toBe(legacyAt(rpm));
    expect([at(2100), at(2105), at(2570), at(2580)]).toEqual(["moderate", "optimal", "optimal", "heavy"]);
  });

  it("bands are [min, max): edges go up; below the first and above the last stay in the end zones", () => {
    expect(impulseZone(0, zones)).toBe("light");
    expect(impulseZone(38.1, zones)).toBe("moderate");
    expect(impulseZone(76.19, zones)).toBe("moderate");
    expect(impulseZone(76.2, zones)).toBe("optimal");
    expect(impulseZone(254, zones)).toBe("heavy");
    expect(impulseZone(1000, zones)).toBe("heavy");
  });

  it("wire form is an object keyed by zone, in band order", () => {
    const obj = impulseZonesObject(zones);
    expect(Object.keys(obj)).toEqual(["light", "moderate", "optimal", "heavy"]);
    expect(obj.optimal).toMatchObject({ min: 76.2, max: 114.3, label: "Optimal" });
  });

  it("the setting refuses gaps, overlaps and duplicate keys", () => {
    expect(
      impulseZonesSchema.safeParse([
        { key: "a", label: "A", min: 0, max: 10 },
        { key: "b", label: "B", min: 12, max: 20 },
      ]).success,
    ).toBe(false);
    expect(
      impulseZonesSchema.safeParse([
        { key: "a", label: "A", min: 0, max: 10 },
        { key: "a", label: "B", min: 10, max: 20 },
      ]).success,
    ).toBe(false);
    expect(impulseZonesSchema.safeParse([{ key: "a", label: "A", min: 5, max: 5 }]).success).toBe(false);
    expect(
      impulseZonesSchema.safeParse([
        { key: "a", label: "A", min: 0, max: 10 },
        { key: "b", label: "B", min: 10, max: 20 },
      ]).success,
    ).toBe(true);
  });
});

describe("safety zones", () => {
  it("safe ≤ 3000, caution ≤ 4000, danger ≤ 5000 (and beyond)", () => {
    expect([500, 3000, 3001, 4000, 4001, 5000, 7000].map((rpm) => safetyZone(rpm, safety))).toEqual([
      "safe",
      "safe",
      "caution",
      "caution",
      "danger",
      "danger",
      "danger",
    ]);
  });

  it("the zone and machine settings validate their order and ranges", () => {
    expect(
      centrifugeSafetyZonesSchema.safeParse([
        { key: "a", label: "A", max_rpm: 3000 },
        { key: "b", label: "B", max_rpm: 2000 },
      ]).success,
    ).toBe(false);
    expect(centrifugeMachinesSchema.safeParse({ x: { name: "X", radius_inches: 4, min_rpm: 3000, max_rpm: 2000 } }).success).toBe(false);
    expect(centrifugeMachinesSchema.safeParse({}).success).toBe(false);
  });

  it("the defaults are valid settings and registered under their keys", () => {
    for (const key of ["centrifuge_machines", "centrifuge_safety_zones", "impulse_zones"] as const) {
      expect(settingSchemas[key].safeParse(defaultSettings[key]).success, key).toBe(true);
    }
    expect(defaultSettings.centrifuge_machines).toEqual({
      silver_bullet: { name: "Silver Bullet", radius_inches: 4.125, min_rpm: 500, max_rpm: 5000 },
      lab_geek: { name: "Lab Geek", radius_inches: 5.0, min_rpm: 500, max_rpm: 4500 },
    });
  });
});

describe("target match", () => {
  const base = { rpm: 2200, timeSeconds: 15, weightGrams: 1, machine: silverBullet };

  it("solves the rpm for a target at a fixed time: 83.3982 N·s in 15 s → 2200 rpm", () => {
    const r = solveTargetImpulse({ ...base, target: 83.3982, mode: "rpm", rpm: 1000 });
    expect(r).toMatchObject({ rpm: 2200, time_seconds: 15, achievable: true, limited_by: null });
    expect(r.achieved_impulse).toBeCloseTo(83.398, 3);
    expect(r.g_force).toBeCloseTo(566.95, 2);
  });

  it("solves the time at a fixed rpm: 166.8 N·s at 2200 rpm → 30 s", () => {
    const r = solveTargetImpulse({ ...base, target: 166.8, mode: "time" });
    expect(r).toMatchObject({ rpm: 2200, time_seconds: 30, achievable: true });
    expect(r.achieved_impulse).toBeCloseTo(166.796, 3);
  });

  it("rounds to whole rpm and seconds and reports the impulse those give", () => {
    const r = solveTargetImpulse({ ...base, target: 100, mode: "rpm" }); // exact 2409.07 rpm
    expect(r.rpm).toBe(2409);
    expect(r.achieved_impulse).toBeCloseTo(impulse(1, rcf(4.125, 2409), 15), 10);
    const t = solveTargetImpulse({ ...base, target: 100, mode: "time" }); // exact 17.99 s
    expect(t.time_seconds).toBe(18);
  });

  it("keeps rpm within the machine's range and time within 1–90 s, saying which bound was hit", () => {
    expect(solveTargetImpulse({ ...base, target: 1000, mode: "rpm" })).toMatchObject({
      rpm: 5000,
      achievable: false,
      limited_by: "max_rpm",
    });
    expect(solveTargetImpulse({ ...base, target: 1000, mode: "rpm", machine: labGeek })).toMatchObject({
      rpm: 4500,
      limited_by: "max_rpm",
    });
    expect(solveTargetImpulse({ ...base, target: 1, mode: "rpm" })).toMatchObject({ rpm: 500, limited_by: "min_rpm" });
    expect(solveTargetImpulse({ ...base, target: 5000, mode: "time" })).toMatchObject({ time_seconds: 90, limited_by: "max_time" });
    expect(solveTargetImpulse({ ...base, target: 0.5, mode: "time" })).toMatchObject({ time_seconds: 1, limited_by: "min_time" });
  });
});

describe("curve", () => {
  it("500–5000 rpm in steps of 100: 46 points, both ends included", () => {
    const points = curve(silverBullet, 500, 5000, 100);
    expect(points).toHaveLength(46);
    expect(points[0]).toEqual({ rpm: 500, g_force: 29.3 }); // 1.118e-5 × 10.4775 × 250000 = 29.28
    expect(points[17]).toEqual({ rpm: 2200, g_force: 567 });
    expect(points.at(-1)!.rpm).toBe(5000);
  });
});
