import {
  DEFAULT_CENTRIFUGE_MACHINES,
  DEFAULT_CENTRIFUGE_SAFETY_ZONES,
  DEFAULT_IMPULSE_ZONES,
} from "@/lib/domain/centrifuge/settings-schema";

/**
 * Default settings (key → JSON value). Where the legacy documents disagree the choice is noted:
 * - work_schedule: the API reference's shape {start_hour, end_hour, work_days}; days are
 *   0 = Monday … 6 = Sunday (Python's weekday(), which the legacy API returned: [0..4]).
 * - papers_per_box: the contract's POST defaults 1000/800/800.
 * - Pushover critical_grams: 100 (API example) — alerts should come early rather than late.
 */
export const defaultSettings = {
  allocation: [40, 30, 30],
  tare_weights: { "0_5": 0.12, "0_7": 0.15, "1_0": 0.18 },
  test_alert_hours: 48,
  work_schedule: { start_hour: 8, end_hour: 17, work_days: [0, 1, 2, 3, 4] },
  weight_tolerance_percent: 10,
  pushover: { enabled: false, user_key: null, app_token: null, warning_grams: 500, critical_grams: 100, cooldown_hours: 24 },
  lab_state_holds: { enabled: false },
  mass_balance_tolerance_percent: 2,
  // Centrifuge: the contract's machines and rpm zones; impulse zones are the legacy bands × 2.54
  // (why: lib/domain/centrifuge/settings-schema.ts).
  centrifuge_machines: DEFAULT_CENTRIFUGE_MACHINES,
  centrifuge_safety_zones: DEFAULT_CENTRIFUGE_SAFETY_ZONES,
  impulse_zones: DEFAULT_IMPULSE_ZONES,
} as const;

export type SettingKey = keyof typeof defaultSettings;
