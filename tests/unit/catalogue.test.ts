import { describe, expect, it } from "vitest";
import { eventCatalogue, eventTypes, parseEventPayload, InvalidEventPayloadError, UnknownEventTypeError } from "@/lib/events/catalogue";

describe("event catalogue", () => {
  it("names every type once, dotted, lower-case", () => {
    expect(new Set(eventTypes).size).toBe(eventTypes.length);
    for (const type of eventTypes) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("refuses an unknown type", () => {
    expect(() => parseEventPayload("batch.exploded" as never, {})).toThrow(UnknownEventTypeError);
  });

  it.each(eventTypes)("refuses a payload that does not match %s", (type) => {
    expect(() => parseEventPayload(type, { unexpected_field: 1 })).toThrow(InvalidEventPayloadError);
    expect(() => parseEventPayload(type, "not an object")).toThrow(InvalidEventPayloadError);
  });

  it("accepts a well-formed payload", () => {
    const payload = { batch_id: "b1", strain: "Runtz", from: 1, to: 2, auto: false };
    expect(parseEventPayload("batch.stage_changed", payload)).toEqual(payload);
    expect(eventCatalogue["batch.stage_changed"]).toBeDefined();
  });
});
