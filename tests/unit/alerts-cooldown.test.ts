import { describe, expect, it } from "vitest";
import { applyCooldown } from "@/lib/domain/alerts/check-alerts";
import { formatAlertNotification } from "@/lib/domain/alerts/pushover";

const fg = (subject: string, level: "warning" | "critical") => ({ kind: "finished_good" as const, subject, level });

describe("alert cooldown", () => {
  it("suppresses a subject already alerted at the same or a higher level", () => {
    const out = applyCooldown([fg("Blue Dream", "warning"), fg("Runtz", "warning")], [fg("blue dream", "warning")]);
    expect(out.map((a) => a.status)).toEqual(["suppressed", "sent"]);
    expect(applyCooldown([fg("Runtz", "warning")], [fg("Runtz", "critical")])[0].status).toBe("suppressed");
  });

  it("lets an escalation from warning to critical through", () => {
    expect(applyCooldown([fg("Runtz", "critical")], [fg("Runtz", "warning")])[0].status).toBe("sent");
  });

  it("keeps finished goods and supplies apart, and sends one per subject per run", () => {
    const out = applyCooldown(
      [
        fg("paper:0_5", "warning"),
        { kind: "supply", subject: "paper:0_5", level: "warning" },
        fg("Gelato", "critical"),
        fg("gelato", "critical"),
      ],
      [{ kind: "supply", subject: "paper:0_5", level: "warning" }],
    );
    expect(out.map((a) => a.status)).toEqual(["sent", "suppressed", "sent", "suppressed"]);
  });

  it("formats critical alerts with high priority", () => {
    expect(formatAlertNotification({ level: "critical", message: "x" })).toMatchObject({
      priority: 1,
      title: expect.stringContaining("CRITICAL"),
    });
    expect(formatAlertNotification({ level: "warning", message: "x" }).priority).toBe(0);
  });
});
