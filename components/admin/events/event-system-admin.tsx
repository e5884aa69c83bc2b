"use client";

import { useState } from "react";
import { Tabs } from "radix-ui";
import { QueueTab } from "@/components/admin/events/queue-tab";
import { SubscribersTab } from "@/components/admin/events/subscribers-tab";
import { EventLogTab } from "@/components/admin/events/event-log-tab";
import { ServiceStatusTab } from "@/components/admin/events/service-status-tab";

const TABS = [
  { value: "queue", label: "Queue" },
  { value: "subscribers", label: "Subscribers" },
  { value: "log", label: "Event log" },
  { value: "status", label: "Service status" },
] as const;

/**
 * /admin/events: the event system (seed 002's four tabs) — delivery queue, subscribers with the
 * inbound event sources beside them, the event log, and the worker's service status. Only the
 * open tab is mounted, so only its queries run (and poll).
 */
export function EventSystemAdmin() {
  const [tab, setTab] = useState<string>("queue");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold text-green-400">Event system</h1>
      <Tabs.Root value={tab} onValueChange={setTab}>
        <Tabs.List aria-label="Event system" className="mb-4 flex flex-wrap gap-2 border-b border-neutral-800 pb-2">
          {TABS.map((t) => (
            <Tabs.Trigger
              key={t.value}
              value={t.value}
              className="min-h-11 rounded-lg bg-neutral-800 px-4 font-semibold text-neutral-200 hover:bg-neutral-700 focus-visible:outline-3 focus-visible:outline-sky-400 data-[state=active]:bg-green-800 data-[state=active]:text-white"
            >
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="queue">
          <QueueTab />
        </Tabs.Content>
        <Tabs.Content value="subscribers">
          <SubscribersTab />
        </Tabs.Content>
        <Tabs.Content value="log">
          <EventLogTab />
        </Tabs.Content>
        <Tabs.Content value="status">
          <ServiceStatusTab />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
