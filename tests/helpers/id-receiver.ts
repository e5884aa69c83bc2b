import http from "node:http";
import type { AddressInfo } from "node:net";

/** A local webhook receiver that answers 200 and keeps the envelope id of every request, in order. */
export interface IdReceiver {
  url: string;
  received: number[];
  close(): Promise<void>;
}

export async function startIdReceiver(): Promise<IdReceiver> {
  const received: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: number }).id);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
