import { describe, expect, it } from "vitest";
import {
  addWorkingHours,
  dateKey,
  ianaZone,
  localZone,
  startOfDay,
  weekday,
  workingHoursBetween,
  type WorkSchedule,
} from "@/lib/domain/batches/rate/working-clock";

/**
 * Dates are built with the local-time Date constructor, so these hold in whatever TZ the suite
 * runs in (January: no DST change anywhere near these days). 2026-01-05 is a Monday.
 */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 0, day, hour, minute);
const MON = 5,
  TUE = 6,
  FRI = 9,
  SAT = 10,
  SUN = 11,
  NEXT_MON = 12;
const weekdays: WorkSchedule = { start_hour: 9, end_hour: 17, work_days: [0, 1, 2, 3, 4] };

describe("working clock: hours between two instants", () => {
  it("counts 0 = Monday … 6 = Sunday", () => {
    expect(weekday({ year: 2026, month: 1, day: MON })).toBe(0);
    expect(weekday({ year: 2026, month: 1, day: FRI })).toBe(4);
    expect(weekday({ year: 2026, month: 1, day: SUN })).toBe(6);
  });

  it("counts time inside one day's window", () => {
    expect(workingHoursBetween(at(MON, 10), at(MON, 12, 30), weekdays)).toBe(2.5);
    expect(workingHoursBetween(at(MON, 6), at(MON, 18), weekdays)).toBe(8);
  });

  it("skips nights", () => {
    expect(workingHoursBetween(at(MON, 16), at(TUE, 10), weekdays)).toBe(2);
  });

  it("skips weekends", () => {
    expect(workingHoursBetween(at(FRI, 15), at(NEXT_MON, 11), weekdays)).toBe(4);
    expect(workingHoursBetween(at(SAT, 10), at(SUN, 15), weekdays)).toBe(0);
  });

  it("is zero outside hours and for reversed spans; a whole week is 5 × 8", () => {
    expect(workingHoursBetween(at(MON, 6), at(MON, 8, 59), weekdays)).toBe(0);
    expect(workingHoursBetween(at(MON, 12), at(MON, 10), weekdays)).toBe(0);
    expect(workingHoursBetween(at(MON, 0), at(NEXT_MON, 0), weekdays)).toBe(40);
  });

  it("follows the configured days and hours (Saturday shift, end_hour 24)", () => {
    expect(workingHoursBetween(at(SAT, 10), at(SAT, 12), { start_hour: 8, end_hour: 14, work_days: [5] })).toBe(2);
    expect(workingHoursBetween(at(MON, 22), at(TUE, 2), { start_hour: 0, end_hour: 24, work_days: [0, 1, 2, 3, 4, 5, 6] })).toBe(4);
  });
});

describe("working clock: instant N working hours later", () => {
  it("stays within the day when it fits, ending exactly at closing time", () => {
    expect(addWorkingHours(at(MON, 10), 2.5, weekdays)).toEqual(at(MON, 12, 30));
    expect(addWorkingHours(at(MON, 9), 8, weekdays)).toEqual(at(MON, 17));
  });

  it("continues the next morning, and after the weekend", () => {
    expect(addWorkingHours(at(MON, 16), 2, weekdays)).toEqual(at(TUE, 10));
    expect(addWorkingHours(at(FRI, 15), 4, weekdays)).toEqual(at(NEXT_MON, 11));
    expect(addWorkingHours(at(FRI, 16), 8, weekdays)).toEqual(at(NEXT_MON, 16));
  });

  it("starts at the next window when called outside hours; 0 h is now", () => {
    expect(addWorkingHours(at(SAT, 12), 1, weekdays)).toEqual(at(NEXT_MON, 10));
    expect(addWorkingHours(at(MON, 6), 1, weekdays)).toEqual(at(MON, 10));
    expect(addWorkingHours(at(SAT, 12), 0, weekdays)).toEqual(at(SAT, 12));
  });

  it("is the inverse of workingHoursBetween", () => {
    for (const [start, hours] of [
      [at(MON, 7), 13.25],
      [at(TUE, 16, 30), 41],
      [at(SUN, 23), 0.5],
      [at(FRI, 12), 100],
    ] as const) {
      const end = addWorkingHours(start, hours, weekdays)!;
      expect(workingHoursBetween(start, end, weekdays)).toBeCloseTo(hours, 9);
    }
  });

  it("gives up (null) beyond the horizon", () => {
    expect(addWorkingHours(at(MON, 9), 1e7, weekdays)).toBeNull();
  });
});

describe("working clock: time zones", () => {
  it("uses the server's local zone by default", () => {
    expect(startOfDay(at(MON, 15, 45))).toEqual(at(MON, 0));
    expect(localZone.civil(at(MON, 23, 59))).toEqual({ year: 2026, month: 1, day: MON });
    expect(dateKey(localZone.civil(at(NEXT_MON, 1)))).toBe("2026-01-12");
  });

  it("an optional IANA time_zone on the schedule reads hours in that zone, across DST", () => {
    const ny: WorkSchedule = { ...weekdays, time_zone: "America/New_York" };
    // Mon 2026-01-12, EST (UTC−5): 09:00–17:00 local = 14:00–22:00 UTC.
    expect(workingHoursBetween(new Date("2026-01-12T13:00:00Z"), new Date("2026-01-12T23:00:00Z"), ny)).toBe(8);
    expect(ianaZone("America/New_York").at({ year: 2026, month: 1, day: 12 }, 0)).toEqual(new Date("2026-01-12T05:00:00Z"));
    // Fri 2026-03-06 is EST, Mon 2026-03-09 EDT (UTC−4, DST began Sun 03-08): both days are 8 h.
    expect(workingHoursBetween(new Date("2026-03-06T14:00:00Z"), new Date("2026-03-09T21:00:00Z"), ny)).toBe(16);
    expect(addWorkingHours(new Date("2026-03-06T22:00:00Z"), 1, ny)).toEqual(new Date("2026-03-09T14:00:00Z"));
  });
});
