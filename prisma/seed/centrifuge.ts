import type { RecordOutcomeInput } from "@/lib/domain/centrifuge/record-outcome";
import type { OutcomeSample } from "@/lib/domain/centrifuge/learning/recommend";

/** Centrifuge outcome factories: an API body (`buildOutcome`) and a pure learning sample (`sample`). */

/** A plausible `POST /api/centrifuge/outcomes` body; overrides win. */
export function buildOutcome(overrides: Partial<RecordOutcomeInput> = {}): RecordOutcomeInput {
  return {
    strain: "Blue Dream",
    size: "1_0",
    machine: "silver_bullet",
    rpm: 2200,
    time_seconds: 15,
    cycles: 1,
    fill_gauge_cycle1: 4,
    grind_size: "medium",
    days_since_harvest: 30,
    yield_percent: 95,
    weight_check_pass_rate: 90,
    priority_mode: "weight",
    ...overrides,
  };
}

let clock = Date.UTC(2026, 0, 1);

/** A learning sample (recorded one minute after the previous one); overrides win. */
export function sample(overrides: Partial<OutcomeSample> = {}): OutcomeSample {
  clock += 60_000;
  return {
    rpm: 2200,
    time_seconds: 15,
    cycles: 1,
    fill_gauge_cycle1: 4,
    fill_gauge_cycle2: null,
    yield_percent: 90,
    weight_check_pass_rate: 90,
    days_since_harvest: 30,
    recorded_at: new Date(clock),
    ...overrides,
  };
}
