/** Sizes and stages as the contract names them. */

export const sizes = ["0_5", "0_7", "1_0"] as const;
export type Size = (typeof sizes)[number];

/** Grams per unit of each size. */
export const sizeGrams: Record<Size, number> = { "0_5": 0.5, "0_7": 0.7, "1_0": 1.0 };

export const stageNames = [
  "Not ground",
  "Ground",
  "In progress",
  "Finished",
  "Waiting on testing",
  "Test passed",
  "Bagging",
  "Done",
] as const;

export const STAGE = {
  NOT_GROUND: 0,
  GROUND: 1,
  IN_PROGRESS: 2,
  FINISHED: 3,
  WAITING_ON_TESTING: 4,
  TEST_PASSED: 5,
  BAGGING: 6,
  DONE: 7,
} as const;

export const testingStatuses = ["none", "sample_created", "sample_sent", "results_received", "test_passed", "test_failed"] as const;
export const packagingStatuses = ["available", "waiting_materials", "waiting_containers", "blocked_other"] as const;
export const grindSizes = ["fine", "medium", "coarse"] as const;

/** METRC package tags: 24 upper-case letters/digits (real ones start 1A4). */
export const METRC_PATTERN = /^[A-Z0-9]{24}$/;
