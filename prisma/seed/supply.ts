/** Papers/cones per size (contract defaults: 1000/800/800 per box, threshold 5 boxes) and other supplies. */
export const paperSupplies = [
  { kind: "paper", size: "0_5", name: "0.5 g cones", unit: "papers", units_per_box: 1000, low_threshold_boxes: 5 },
  { kind: "paper", size: "0_7", name: "0.7 g cones", unit: "papers", units_per_box: 800, low_threshold_boxes: 5 },
  { kind: "paper", size: "1_0", name: "1.0 g cones", unit: "papers", units_per_box: 800, low_threshold_boxes: 5 },
] as const;

export const otherSupplies = [
  { kind: "tip", size: "", name: "Glass tips", unit: "tips", units_per_box: 500, low_threshold_boxes: 2 },
  { kind: "tube", size: "", name: "Single tubes", unit: "tubes", units_per_box: 250, low_threshold_boxes: 4 },
  { kind: "box_6", size: "", name: "6-pack magnetic boxes", unit: "boxes", units_per_box: 100, low_threshold_boxes: 2 },
  { kind: "box_12", size: "", name: "12-pack magnetic boxes", unit: "boxes", units_per_box: 50, low_threshold_boxes: 2 },
] as const;
