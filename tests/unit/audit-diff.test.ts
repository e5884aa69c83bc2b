import { describe, expect, it } from "vitest";
import { diffFields } from "@/lib/db/audit";

describe("audit diff", () => {
  it("reports one change per field that differs, as text", () => {
    const before = { stage: 1, strain: "Runtz", thc_percent: null, updated_at: new Date(0) };
    const after = { stage: 2, strain: "Runtz", thc_percent: 22.5, updated_at: new Date(1) };
    expect(diffFields(before, after)).toEqual([
      { field: "stage", old: "1", new: "2" },
      { field: "thc_percent", old: null, new: "22.5" },
    ]);
  });

  it("treats every set field as new on create, and deletion as one change", () => {
    expect(diffFields(null, { strain: "Runtz", notes: null })).toEqual([{ field: "strain", old: null, new: "Runtz" }]);
    expect(diffFields({ strain: "Runtz" }, null)).toEqual([{ field: "deleted", old: "false", new: "true" }]);
  });

  it("serialises objects and dates stably", () => {
    const d = new Date("2026-11-24T10:00:00.000Z");
    expect(diffFields({ a: { x: 1 }, d: null }, { a: { x: 2 }, d })).toEqual([
      { field: "a", old: '{"x":1}', new: '{"x":2}' },
      { field: "d", old: null, new: "2026-11-24T10:00:00.000Z" },
    ]);
  });
});
