/**
 * The working-time clock (pure): how many *working* hours lie between two instants, and which
 * instant is N working hours after another, per the `work_schedule` setting
 * `{start_hour, end_hour, work_days}` — every work day has one window [start_hour, end_hour) of
 * local wall-clock time; `work_days` uses 0 = Monday … 6 = Sunday (the legacy API's numbering).
 *
 * Time zone: wall-clock hours and calendar days are those of the **server's local time zone**
 * (the process's `TZ` environment variable; set `TZ=America/Los_Angeles` or similar when the
 * host runs on UTC but the facility does not). A schedule may carry an optional IANA
 * `time_zone`; when present it wins over the server zone (`zoneFor`). The settings schema does not
 * expose it yet — adding a `time_zone` field there is all a future "facility time zone" setting
 * needs.
 *
 * Windows are computed per calendar day in wall-clock time, so a DST change at night does not
 * change a day's working hours.
 */

export interface WorkSchedule {
  start_hour: number;
  /** Exclusive; may be 24 (midnight at the end of the day). */
  end_hour: number;
  /** 0 = Monday … 6 = Sunday. */
  work_days: readonly number[];
  /** Optional IANA zone (e.g. "America/Denver"); absent/null = the server's local zone. */
  time_zone?: string | null;
}

/** A calendar date (no time zone). `month` is 1–12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** How a time zone maps instants to calendar dates and wall-clock hours to instants. */
export interface Zone {
  /** The calendar date of an instant in this zone. */
  civil(at: Date): CivilDate;
  /** The instant of `hour`:00 (0–24; 24 = the next midnight) on a calendar date in this zone. */
  at(date: CivilDate, hour: number): Date;
}

const HOUR_MS = 3_600_000;

/** The server's local zone (`TZ`), through the native Date local-time methods. */
export const localZone: Zone = {
  civil: (d) => ({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() }),
  at: (c, hour) => new Date(c.year, c.month - 1, c.day, hour, 0, 0, 0),
};

const zones = new Map<string, Zone>();

/** A zone by IANA name, through Intl (throws RangeError for an unknown name). */
export function ianaZone(timeZone: string): Zone {
  const cached = zones.get(timeZone);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const fields = (t: number) => {
    const out: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(t))) if (p.type !== "literal") out[p.type] = Number(p.value);
    return out;
  };
  /** Zone offset (local − UTC) in ms at instant t. */
  const offset = (t: number) => {
    const f = fields(t);
    const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour % 24, f.minute, f.second);
    return wall - Math.floor(t / 1000) * 1000;
  };
  const zone: Zone = {
    civil: (d) => {
      const f = fields(d.getTime());
      return { year: f.year, month: f.month, day: f.day };
    },
    at: (c, hour) => {
      const wall = Date.UTC(c.year, c.month - 1, c.day, hour);
      const first = offset(wall);
      let t = wall - first;
      const second = offset(t);
      if (second !== first) t = wall - second;
      return new Date(t);
    },
  };
  zones.set(timeZone, zone);
  return zone;
}

/** The zone a schedule's hours are read in: its `time_zone` if given, else the server's. */
export function zoneFor(schedule?: WorkSchedule | null): Zone {
  return schedule?.time_zone ? ianaZone(schedule.time_zone) : localZone;
}

/** Days since 1970-01-01 of a calendar date (pure calendar arithmetic). */
function epochDay(c: CivilDate): number {
  return Math.round(Date.UTC(c.year, c.month - 1, c.day) / 86_400_000);
}

function fromEpochDay(n: number): CivilDate {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(c: CivilDate): number {
  return (new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay() + 6) % 7;
}

export function addDays(c: CivilDate, days: number): CivilDate {
  return fromEpochDay(epochDay(c) + days);
}

/** "YYYY-MM-DD". */
export function dateKey(c: CivilDate): string {
  return `${String(c.year).padStart(4, "0")}-${String(c.month).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`;
}

/** Local midnight at the start of the day containing `at`. */
export function startOfDay(at: Date, zone: Zone = localZone): Date {
  return zone.at(zone.civil(at), 0);
}

function isWorkDay(schedule: WorkSchedule, c: CivilDate): boolean {
  return schedule.work_days.includes(weekday(c));
}

function windowOf(schedule: WorkSchedule, c: CivilDate, zone: Zone): [number, number] {
  return [zone.at(c, schedule.start_hour).getTime(), zone.at(c, schedule.end_hour).getTime()];
}

/**
 * Working hours in [from, to): the overlap of the span with every work day's window. Nights,
 * weekends and other non-work days count zero; a reversed span is 0.
 */
export function workingHoursBetween(from: Date, to: Date, schedule: WorkSchedule, zone: Zone = zoneFor(schedule)): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a) || schedule.end_hour <= schedule.start_hour) return 0;
  const first = epochDay(zone.civil(from));
  const last = epochDay(zone.civil(to));
  let ms = 0;
  for (let n = first; n <= last; n++) {
    const c = fromEpochDay(n);
    if (!isWorkDay(schedule, c)) continue;
    const [ws, we] = windowOf(schedule, c, zone);
    ms += Math.max(0, Math.min(b, we) - Math.max(a, ws));
  }
  return ms / HOUR_MS;
}

/** How far ahead `addWorkingHours` looks before giving up (an ETA beyond this is "unknown"). */
export const MAX_HORIZON_DAYS = 3660;

/**
 * The instant `hours` working hours after `from`, following the schedule (a remainder that does
 * not fit today continues at the next work day's start). `hours` ≤ 0 → `from`. Null when the
 * schedule has no working time or the result lies beyond MAX_HORIZON_DAYS.
 */
export function addWorkingHours(from: Date, hours: number, schedule: WorkSchedule, zone: Zone = zoneFor(schedule)): Date | null {
  if (!(hours > 0)) return new Date(from.getTime());
  if (schedule.end_hour <= schedule.start_hour || schedule.work_days.length === 0) return null;
  let remaining = hours * HOUR_MS;
  const start = from.getTime();
  const first = epochDay(zone.civil(from));
  for (let n = first; n <= first + MAX_HORIZON_DAYS; n++) {
    const c = fromEpochDay(n);
    if (!isWorkDay(schedule, c)) continue;
    const [ws, we] = windowOf(schedule, c, zone);
    const begin = Math.max(start, ws);
    const available = we - begin;
    if (available <= 0) continue;
    if (remaining <= available) return new Date(begin + remaining);
    remaining -= available;
  }
  return null;
}
