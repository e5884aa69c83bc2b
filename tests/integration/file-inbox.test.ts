import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { relayAll } from "@/lib/events/relay";
import { runDeliveryBatch } from "@/lib/events/delivery/worker";
import { createSubscriber, sendTestPing, updateSubscriber } from "@/lib/events/subscribers/service";
import { DEFAULT_IMPORT_SUBSCRIBER, ensureDefaultImportSubscriber } from "@/lib/events/subscribers/default-import";
import { publishInboxFile, startInboxWatcher, type InboxWatcher, type PublishResult } from "@/lib/events/inbox/watch-inbox";
import { createFinishedGood } from "@/lib/domain/finished-goods/create-finished-good";
import { updatePaperCount } from "@/lib/domain/supplies/paper-operations";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";

/**
 * The file inbox end to end, on real files in a temp folder and the test's own SQLite database:
 * the watcher announces complete files once (file.received), the relay and the delivery worker
 * hand them to the default "Inbox import" subscriber, and each file ends in processed/ with its
 * data applied and import.completed, or in failed/ with nothing applied and import.failed.
 */

const admin = systemContext("admin", "web");
let root: string;
let inbox: string;
let inboxSeq = 0;
const watchers: InboxWatcher[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-inbox-"));
  expect(await ensureDefaultImportSubscriber(admin)).toEqual({ created: true });
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  // A fresh inbox per test; the import handler reads INBOX_DIR when it runs.
  inbox = path.join(root, `inbox-${++inboxSeq}`);
  fs.mkdirSync(inbox, { recursive: true });
  process.env.INBOX_DIR = inbox;
});
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
});

async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function watcher(dir: string, results: PublishResult[], stabilityMs = 300): InboxWatcher {
  const w = startInboxWatcher({ dir, stabilityMs, onFile: (r) => results.push(r) });
  watchers.push(w);
  return w;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
const announcements = (file: string) =>
  db.event
    .findMany({ where: { type: "file.received" }, orderBy: { id: "asc" } })
    .then((es) => es.filter((e) => (e.payload as { path: string }).path === file));

/** A file put in the inbox and announced (what the watcher does once the file is complete). */
async function drop(name: string, content: string): Promise<{ file: string; eventId: number }> {
  const file = path.join(inbox, name);
  fs.writeFileSync(file, content);
  const result = await publishInboxFile(file);
  expect(result.status).toBe("published");
  return { file, eventId: (result as { eventId: number }).eventId };
}

/** What the worker loop does each second: relay new events into deliveries, run the due ones. */
async function work(now?: Date) {
  await relayAll(db);
  return runDeliveryBatch(db, { workerId: "inbox-test", now });
}

async function answerTo(eventId: number) {
  const events = await db.event.findMany({ where: { type: { in: ["import.completed", "import.failed"] } }, orderBy: { id: "asc" } });
  return events.filter((e) => (e.payload as { source_event_id?: number }).source_event_id === eventId);
}

async function deliveryFor(eventId: number) {
  return db.delivery.findFirstOrThrow({ where: { event_id: eventId }, include: { attempt_log: { orderBy: { attempt_number: "asc" } } } });
}

const inboxFiles = (sub = "") => fs.readdirSync(path.join(inbox, sub)).filter((n) => fs.statSync(path.join(inbox, sub, n)).isFile());

describe("the inbox watcher", () => {
  it("announces a slowly written file once, after the last chunk, and not again after a restart", async () => {
    const dir = inbox;
    const results: PublishResult[] = [];
    // Chunks 100 ms apart; a file counts as written after 800 ms without growing (margin for a busy machine).
    await watcher(dir, results, 800).ready;
    expect(fs.statSync(path.join(dir, "processed")).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(dir, "failed")).isDirectory()).toBe(true);

    const file = path.join(dir, "northside.csv");
    const chunks = [
      "Strain,On Hand,",
      "Avg Daily Sales\n",
      "Runtz,8,1\n",
      "Gelato 41,1200,10\n",
      "Blue Dream,30,2.5\n",
      "Zkittlez,4,0.5\n",
    ];
    const fd = fs.openSync(file, "w");
    for (const chunk of chunks) {
      fs.writeSync(fd, chunk);
      await new Promise((r) => setTimeout(r, 100));
      expect(await announcements(file)).toHaveLength(0); // still being written
    }
    fs.closeSync(fd);

    const published = await until(() => results.find((r) => r.path === file), "the announcement");
    expect(published.status).toBe("published");
    const content = chunks.join("");
    const [event] = await announcements(file);
    expect(event.payload).toEqual({
      path: file,
      name: "northside.csv",
      size_bytes: Buffer.byteLength(content),
      sha256: sha256(content),
      modified_at: fs.statSync(file).mtime.toISOString(),
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await announcements(file)).toHaveLength(1);

    // The worker restarts while the file still waits for its import: seen again, not announced again.
    await watchers.pop()!.stop();
    const again: PublishResult[] = [];
    await watcher(dir, again, 800).ready;
    const seen = await until(() => again.find((r) => r.path === file), "the restart's scan");
    expect(seen).toEqual({ path: file, status: "duplicate", eventId: event.id });
    expect(await announcements(file)).toHaveLength(1);
    await work();
    expect((await answerTo(event.id)).map((e) => e.type)).toEqual(["import.completed"]);
  });

  it("ignores partial, hidden and lock files and the processed/failed folders; a renamed .part is one file", async () => {
    const dir = inbox;
    const results: PublishResult[] = [];
    await watcher(dir, results).ready;
    fs.writeFileSync(path.join(dir, ".hidden.csv"), "a,b\n");
    fs.writeFileSync(path.join(dir, "~$lock.csv"), "a,b\n");
    fs.writeFileSync(path.join(dir, "copying.csv.tmp"), "a,b\n");
    fs.writeFileSync(path.join(dir, "processed", "old.csv"), "a,b\n");
    fs.writeFileSync(path.join(dir, "failed", "bad.csv"), "a,b\n");
    fs.writeFileSync(path.join(dir, "download.csv.part"), "size,boxes\n0.5,3\n");
    fs.renameSync(path.join(dir, "download.csv.part"), path.join(dir, "download.csv"));

    await until(() => results.find((r) => r.path === path.join(dir, "download.csv")), "the renamed file");
    await new Promise((r) => setTimeout(r, 700));
    expect(results.map((r) => [path.basename(r.path), r.status])).toEqual([["download.csv", "published"]]);
    const paths = (await db.event.findMany({ where: { type: "file.received" } })).map((e) => (e.payload as { path: string }).path);
    expect(paths.filter((p) => p.startsWith(dir))).toEqual([path.join(dir, "download.csv")]);
    await work();
  });

  it("announces files that were waiting at start, a rewrite only while no import waits, and a file dropped again after its import", async () => {
    const file = path.join(inbox, "waiting.csv");
    fs.writeFileSync(file, "Size,Boxes\n0.5g,7\n");
    const results: PublishResult[] = [];
    await watcher(inbox, results).ready;
    const first = await until(() => results[0], "the waiting file");
    expect(first).toMatchObject({ path: file, status: "published" });
    const firstId = (first as { eventId: number }).eventId;

    // Rewritten before its import ran: the waiting import reads it as it is then.
    fs.writeFileSync(file, "Size,Boxes\n0.5g,7\n0.7g,2\n");
    expect(await until(() => results[1], "the rewrite")).toEqual({ path: file, status: "duplicate", eventId: firstId });
    await work();
    const [imported] = await answerTo(firstId);
    expect(imported.payload).toMatchObject({ target: "papers", rows: 2 });
    expect(inboxFiles()).toEqual([]);

    // The same export dropped again under the same name: a new file, imported again.
    fs.writeFileSync(file, "Size,Boxes\n0.5g,7\n");
    const second = await until(() => results[2], "the second drop");
    expect(second).toMatchObject({ path: file, status: "published" });
    await work();
    const [answer] = await answerTo((second as { eventId: number }).eventId);
    expect(answer.type).toBe("import.completed");
    expect(answer.payload).toMatchObject({ target: "papers", rows: 1, skipped: 1, created: 0, updated: 0 });
    expect(results).toHaveLength(3);
    expect(inboxFiles("processed")).toHaveLength(2);
  });
});

describe("the default import subscriber", () => {
  it("is created once: bootstrap may run it at every start", async () => {
    expect(await ensureDefaultImportSubscriber(admin)).toEqual({ created: false });
    const subs = await db.subscriber.findMany({ where: { kind: "import" } });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({
      name: DEFAULT_IMPORT_SUBSCRIBER,
      event_types: "file.received",
      config: { target: "auto" },
      active: true,
    });
  });

  it("validates import config: a known target, nothing else", async () => {
    const base = {
      name: "bad-import",
      event_types: "file.received",
      kind: "import" as const,
      ordered: false,
      max_attempts: 3,
      active: false,
    };
    await expect(createSubscriber(admin, { ...base, config: { target: "everything" } })).rejects.toMatchObject({ status: 400 });
    await expect(createSubscriber(admin, { ...base, config: { tagret: "sales" } })).rejects.toMatchObject({ status: 400 });
  });

  it("answers a test delivery by checking the inbox folder", async () => {
    const sub = await db.subscriber.findUniqueOrThrow({ where: { name: DEFAULT_IMPORT_SUBSCRIBER } });
    fs.writeFileSync(path.join(inbox, "a.csv"), "x\n");
    const { delivery_id } = await sendTestPing(admin, sub.id);
    await work();
    const d = await db.delivery.findUniqueOrThrow({ where: { id: delivery_id }, include: { attempt_log: true } });
    expect(d.status).toBe("completed");
    expect(d.attempt_log[0].response_excerpt).toBe(`Inbox ${inbox} is ready: 1 file waiting`);
  });
});

describe("importing a file", () => {
  it("store sales → a recommendations snapshot, the file in processed/, import.completed", async () => {
    const before = await db.recommendationSnapshot.count();
    const csv = fs.readFileSync(path.join(__dirname, "../fixtures/store-sales/downtown-week.csv"), "utf8");
    const { eventId } = await drop("downtown-week.csv", csv);
    const batch = await work();
    expect(batch.outcomes).toEqual({ completed: 1 });

    expect(await db.recommendationSnapshot.count()).toBe(before + 1);
    const snapshot = await db.recommendationSnapshot.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(snapshot).toMatchObject({ files_processed: ["downtown-week.csv"], strain_count: 5, store_count: 1, uploaded_by: "worker" });
    expect(inboxFiles()).toEqual([]);
    const [moved] = inboxFiles("processed");
    expect(moved).toMatch(new RegExp(`^\\d{8}-\\d{6}-${eventId}_downtown-week\\.csv$`));
    expect(fs.readFileSync(path.join(inbox, "processed", moved), "utf8")).toBe(csv);

    const [answer] = await answerTo(eventId);
    expect(answer.type).toBe("import.completed");
    expect(answer.payload).toEqual({
      file: "downtown-week.csv",
      kind: "sales",
      target: "sales",
      rows_ok: 5,
      rows_failed: 0,
      rows: 5,
      created: 1,
      updated: 0,
      skipped: 0,
      snapshot_timestamp: snapshot.timestamp,
      source_event_id: eventId,
      moved_to: path.join(inbox, "processed", moved),
    });
    // One trace from the file to the snapshot: the event log shows the whole story.
    const fileEvent = await db.event.findUniqueOrThrow({ where: { id: eventId } });
    const created = await db.event.findFirstOrThrow({ where: { type: "snapshot.created" }, orderBy: { id: "desc" } });
    expect(created.trace_id).toBe(fileEvent.trace_id);
    expect(answer.trace_id).toBe(fileEvent.trace_id);
    const delivery = await deliveryFor(eventId);
    expect(delivery.status).toBe("completed");
    expect(delivery.attempt_log[0].response_excerpt).toMatch(
      /^Imported downtown-week\.csv as store sales: 5 rows \(1 created, 0 updated, 0 skipped\)/,
    );
  });

  it("papers/cones counts: created, updated and unchanged sizes, with supply events and audit", async () => {
    await db.supply.deleteMany({ where: { kind: "paper" } });
    await updatePaperCount(admin, { size: "0_5", box_count: 2, individual_papers: 10 });
    await updatePaperCount(admin, { size: "1_0", box_count: 9, individual_papers: 0 });
    const { eventId } = await drop("papers count.csv", "Size,Boxes,Loose Papers,Threshold\n0.5g,12,150,\n0.7,3,0,4\n1.0g,9,,\n");
    await work();

    const [answer] = await answerTo(eventId);
    expect(answer.payload).toMatchObject({ target: "papers", rows: 3, created: 1, updated: 1, skipped: 1 });
    const rows = await db.supply.findMany({ where: { kind: "paper" }, orderBy: { size: "asc" } });
    expect(rows.map((r) => [r.size, r.boxes, r.individual_units, r.low_threshold_boxes])).toEqual([
      ["0_5", 12, 150, 5],
      ["0_7", 3, 0, 4],
      ["1_0", 9, 0, 5],
    ]);
    const audit = await db.auditLog.findMany({
      where: { entity: "supply", entity_id: rows[0].id, field: "boxes" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(audit[0]).toMatchObject({ old: "2", new: "12", actor: "worker" });
    const updates = await db.event.findMany({ where: { type: "supply.updated", id: { gt: eventId } } });
    expect(updates.map((e) => (e.payload as { size: string }).size).sort()).toEqual(["0_5", "0_7", "0_7"]); // 0.7g: created, then counted
    expect(inboxFiles("processed")).toHaveLength(1);
  });

  it("finished goods: new tags created, known tags updated (grams as counted, history `import`), a repeat changes nothing", async () => {
    const known = await createFinishedGood(admin, buildFinishedGood({ strain: "Gelato 41", grams: 100 }));
    const fresh = metrcTag();
    const csv = `METRC,Strain,Grams,Notes\n${known.metrc_number},Gelato 41,80,Recount after breakage\n${fresh.toLowerCase()},Runtz,250.5,\n`;
    const { eventId } = await drop("packages.csv", csv);
    await work();

    const [answer] = await answerTo(eventId);
    expect(answer.type).toBe("import.completed");
    expect(answer.payload).toMatchObject({ target: "finished_goods", rows: 2, created: 1, updated: 1, skipped: 0 });
    const after = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: known.metrc_number } });
    expect(after).toMatchObject({ current_grams: 80, notes: "Recount after breakage", strain: "Gelato 41", status: "active" });
    expect(await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fresh } })).toMatchObject({
      strain: "Runtz",
      initial_grams: 250.5,
      current_grams: 250.5,
    });
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: known.metrc_number }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.change_type, h.grams_changed, h.current_grams])).toEqual([
      ["created", 100, 100],
      ["update", null, 100],
      ["import", -20, 80],
    ]);
    expect(history[2].reason).toBe("Imported from packages.csv");
    const deducted = await db.event.findFirstOrThrow({ where: { type: "finished_good.deducted", id: { gt: eventId } } });
    expect(deducted.payload).toMatchObject({ metrc_number: known.metrc_number, previous_grams: 100, current_grams: 80, grams: 20 });
    expect(await db.event.count({ where: { type: "finished_good.created", id: { gt: eventId } } })).toBe(1);

    // The same list dropped again: everything is already as stored.
    const repeat = await drop("packages again.csv", csv);
    await work();
    const [second] = await answerTo(repeat.eventId);
    expect(second.payload).toMatchObject({ rows: 2, created: 0, updated: 0, skipped: 2 });
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: known.metrc_number } })).toBe(3);
  });

  it("a bad number on row 7: nothing applied, the file in failed/, import.failed naming the row, the delivery completed", async () => {
    const tags = Array.from({ length: 6 }, () => metrcTag());
    const lines = ["metrc,strain,grams", ...tags.slice(0, 5).map((t, i) => `${t},Runtz,${100 + i}`), `${tags[5]},Runtz,12.5x`];
    const packages = await db.finishedGood.count();
    const { eventId } = await drop("bad-row.csv", lines.join("\n"));
    await work();

    expect(await db.finishedGood.count()).toBe(packages);
    expect(inboxFiles()).toEqual([]);
    const [failed] = inboxFiles("failed");
    expect(failed).toMatch(new RegExp(`^\\d{8}-\\d{6}-${eventId}_bad-row\\.csv$`));
    const [answer] = await answerTo(eventId);
    expect(answer.type).toBe("import.failed");
    expect(answer.payload).toEqual({
      file: "bad-row.csv",
      kind: "finished_goods",
      target: "finished_goods",
      error: 'Row 7: Grams "12.5x" is not a number',
      row: 7,
      problems: ['Row 7: Grams "12.5x" is not a number'],
      error_count: 1,
      source_event_id: eventId,
      moved_to: path.join(inbox, "failed", failed),
    });
    const delivery = await deliveryFor(eventId);
    expect(delivery).toMatchObject({ status: "completed", attempts: 1 });
    expect(delivery.attempt_log[0].response_excerpt).toMatch(/^Not imported bad-row\.csv: Row 7: Grams "12\.5x" is not a number/);
  });

  it("a row the domain refuses rolls back the rows before it (all or nothing in one transaction)", async () => {
    const batch = await createBatch(admin, buildBatch());
    const [ok, linked, broken] = [metrcTag(), metrcTag(), metrcTag()];
    const packages = await db.finishedGood.count();
    const csv = `metrc,strain,grams,source_batch_id\n${ok},Runtz,10,\n${linked},Runtz,10,${batch.id}\n${broken},Runtz,10,no-such-batch\n`;
    const { eventId } = await drop("linked.csv", csv);
    await work();

    expect(await db.finishedGood.count()).toBe(packages);
    const [answer] = await answerTo(eventId);
    expect(answer.payload).toMatchObject({ target: "finished_goods", row: 4, error: "Row 4: Source batch not found" });
    expect(inboxFiles("failed")).toHaveLength(1);
    expect(await db.event.count({ where: { type: "finished_good.created", id: { gt: eventId } } })).toBe(0);
  });

  it("a file that is no CSV import at all is refused with what each import expects", async () => {
    const { eventId } = await drop("invoice.csv", "date,customer,total\n2026-01-01,Acme,12\n");
    await work();
    const [answer] = await answerTo(eventId);
    expect(answer.payload).toMatchObject({ kind: null, target: null, row: 1 });
    expect((answer.payload as { error: string }).error).toMatch(
      /^Cannot tell what this file is from its headers \(date, customer, total\)/,
    );
    expect(inboxFiles("failed")).toHaveLength(1);
  });

  it("a subscriber with a fixed target refuses a file of another kind", async () => {
    const defaultSub = await db.subscriber.findUniqueOrThrow({ where: { name: DEFAULT_IMPORT_SUBSCRIBER } });
    await updateSubscriber(admin, defaultSub.id, { active: false });
    const { subscriber } = await createSubscriber(admin, {
      name: "Papers only",
      event_types: "file.received",
      kind: "import",
      config: { target: "papers" },
      ordered: false,
      max_attempts: 3,
      active: true,
    });
    try {
      const { eventId } = await drop("sales.csv", "strain,inventory,avg_daily_sales\nRuntz,4,1\n");
      await work();
      const [answer] = await answerTo(eventId);
      expect(answer.payload).toMatchObject({ target: "papers", row: 1 });
      expect((answer.payload as { error: string }).error).toMatch(/^Row 1: Missing a size column/);
    } finally {
      await updateSubscriber(admin, subscriber.id, { active: false });
      await updateSubscriber(admin, defaultSub.id, { active: true });
    }
  });
});

describe("redelivery and retries", () => {
  it("a redelivered import changes nothing (the file event is answered once)", async () => {
    const { eventId } = await drop("count.csv", "size,boxes\n0.7g,21\n");
    await work();
    const delivery = await deliveryFor(eventId);
    expect(delivery.status).toBe("completed");
    const events = await db.event.count();

    await db.delivery.update({ where: { id: delivery.id }, data: { status: "pending", next_attempt_at: new Date(0) } });
    await work();
    const again = await deliveryFor(eventId);
    expect(again.status).toBe("completed");
    expect(again.attempt_log[1].response_excerpt).toBe("count.csv was already imported: nothing to do");
    expect(await db.event.count()).toBe(events);
    expect(await answerTo(eventId)).toHaveLength(1);
  });

  it("a move that fails after the import committed is retried, and the retry only moves the file", async () => {
    fs.writeFileSync(path.join(inbox, "processed"), "not a folder"); // the move cannot succeed
    const before = await db.recommendationSnapshot.count();
    const { file, eventId } = await drop("east.csv", "store,strain,inventory,avg_daily_sales\nEast,Runtz,4,1\n");
    await work();
    const failed = await deliveryFor(eventId);
    expect(failed.status).toBe("failed");
    expect(failed.last_error).toMatch(/^Import not finished, will retry: Could not move east\.csv/);
    expect(await db.recommendationSnapshot.count()).toBe(before + 1);
    expect(fs.existsSync(file)).toBe(true);

    fs.rmSync(path.join(inbox, "processed"));
    await work(new Date(Date.now() + 3_600_000));
    const done = await deliveryFor(eventId);
    expect(done).toMatchObject({ status: "completed", attempts: 2 });
    expect(await db.recommendationSnapshot.count()).toBe(before + 1);
    expect(await answerTo(eventId)).toHaveLength(1);
    expect(fs.existsSync(file)).toBe(false);
    expect(inboxFiles("processed")).toEqual([expect.stringMatching(/_east\.csv$/)]);
  });

  it("a file gone before its import is answered (nothing applied), so the same file dropped again is announced", async () => {
    const { file, eventId } = await drop("gone.csv", "size,boxes\n1.0g,4\n");
    // While it waits for its import, the same file is not announced twice.
    expect(await publishInboxFile(file)).toEqual({ path: file, status: "duplicate", eventId });
    const { modified_at } = (await db.event.findUniqueOrThrow({ where: { id: eventId } })).payload as { modified_at: string };
    fs.rmSync(file);
    await work();
    const [answer] = await answerTo(eventId);
    expect(answer.type).toBe("import.failed");
    expect(answer.payload).toMatchObject({
      file: "gone.csv",
      error: "The file is no longer in the inbox (moved or deleted before it was imported)",
      moved_to: null,
    });
    expect((await deliveryFor(eventId)).status).toBe("completed");

    // Byte for byte the same file, even the same modification time: now a new drop.
    fs.writeFileSync(file, "size,boxes\n1.0g,4\n");
    fs.utimesSync(file, new Date(modified_at), new Date(modified_at));
    expect((await publishInboxFile(file)).status).toBe("published");
  });
});
