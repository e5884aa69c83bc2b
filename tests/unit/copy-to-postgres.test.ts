import { describe, expect, it } from "vitest";
import { ConvertError, converterFor } from "@/lib/db/copy-to-postgres/convert";
import { modelTables } from "@/lib/db/copy-to-postgres/models";
import { buildPlan, PlanError } from "@/lib/db/copy-to-postgres/plan";

/**
 * The pure parts of `npm run migrate-to-postgres` (lib/db/copy-to-postgres/): SQLite storage →
 * PostgreSQL values, and the plan that refuses, loudly, any table or column the schema and the
 * two databases disagree on (a table added later is copied or stops the copy, never skipped).
 */

describe("SQLite storage → PostgreSQL values", () => {
  const date = converterFor("DateTime", "t.at");
  it("DateTime: ISO text with an offset, text without a zone (UTC), epoch milliseconds → UTC timestamp(3) text", () => {
    expect(date("2026-12-07T18:55:42.766+00:00")).toBe("2026-12-07 18:55:42.766");
    expect(date("2026-12-07T20:55:42.766+02:00")).toBe("2026-12-07 18:55:42.766");
    expect(date("2026-12-07 18:55:42")).toBe("2026-12-07 18:55:42.000");
    expect(date(Date.UTC(2026, 11, 7, 18, 55, 42, 766))).toBe("2026-12-07 18:55:42.766");
    expect(date(null)).toBeNull();
    expect(() => date("yesterday")).toThrow(ConvertError);
  });

  it("Boolean 0/1, Json text checked, Int, Float, String kept; NUL in text and unknown types refused", () => {
    const bool = converterFor("Boolean", "t.b");
    expect([bool(0), bool(1), bool(null)]).toEqual([false, true, null]);
    expect(() => bool(2)).toThrow(ConvertError);
    const json = converterFor("Json", "t.j");
    expect(json('{"a":"ü","b":[1,2]}')).toBe('{"a":"ü","b":[1,2]}');
    expect(json("null")).toBe("null"); // JSON null stays distinct from SQL NULL
    expect(() => json("{oops")).toThrow(ConvertError);
    expect(converterFor("Int", "t.i")(42)).toBe(42);
    expect(() => converterFor("Int", "t.i")(1.5)).toThrow(ConvertError);
    expect(converterFor("Float", "t.f")(800)).toBe(800);
    expect(converterFor("String", "t.s")("Blüte 🌿")).toBe("Blüte 🌿");
    expect(() => converterFor("String", "t.s")("a\u0000b")).toThrow(/NUL/);
    expect(() => converterFor("Geometry", "t.g")).toThrow(/no conversion for Prisma type Geometry/);
  });
});

describe("copy plan", () => {
  const models = modelTables();
  const pgSide = () =>
    new Map(
      models.map((m) => [
        m.table,
        {
          columns: new Set(m.columns.map((c) => c.name)),
          primaryKey: ["id"],
          parents: new Set<string>(
            m.table === "deliveries" ? ["events", "subscribers"] : m.table === "delivery_attempts" ? ["deliveries"] : [],
          ),
          sequenced: [],
        },
      ]),
    );
  const sqliteSide = () => new Map(models.map((m) => [m.table, new Set(m.columns.map((c) => c.name))]));

  it("covers every model of the Prisma schema, parents before children", () => {
    expect(models.length).toBeGreaterThanOrEqual(33);
    const order = buildPlan(models, pgSide(), sqliteSide()).map((p) => p.table);
    expect(new Set(order)).toEqual(new Set(models.map((m) => m.table)));
    expect(order.indexOf("events")).toBeLessThan(order.indexOf("deliveries"));
    expect(order.indexOf("subscribers")).toBeLessThan(order.indexOf("deliveries"));
    expect(order.indexOf("deliveries")).toBeLessThan(order.indexOf("delivery_attempts"));
  });

  it("fails loudly on a table or column the schema does not know, a missing table, or a foreign-key cycle", () => {
    const extraSqlite = sqliteSide().set("notes", new Set(["id"]));
    expect(() => buildPlan(models, pgSide(), extraSqlite)).toThrow(
      new PlanError("the SQLite database has tables the Prisma schema does not know: notes"),
    );
    const missing = sqliteSide();
    missing.delete("events");
    expect(() => buildPlan(models, pgSide(), missing)).toThrow(/table events \(model Event\) is missing in the SQLite file/);
    const extraColumn = sqliteSide();
    extraColumn.get("users")!.add("nickname");
    expect(() => buildPlan(models, pgSide(), extraColumn)).toThrow(/SQLite table users does not match model User: unknown nickname/);
    const cyclic = pgSide();
    cyclic.get("events")!.parents.add("delivery_attempts");
    expect(() => buildPlan(models, cyclic, sqliteSide())).toThrow(/foreign keys form a cycle/);
  });
});
