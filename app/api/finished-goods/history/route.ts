import { route } from "@/lib/http/route";
import { listHistory, listHistoryQuery } from "@/lib/domain/finished-goods/list-history";
import { finishedGoodHistoryResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Newest history rows of every package: `{history, total}`; `limit` default 100, at most 1000. */
export const GET = route(
  { response: finishedGoodHistoryResponseSchema, contract: true, auth: "key|session", role: "viewer", query: listHistoryQuery },
  async ({ query }) => listHistory(query),
);
