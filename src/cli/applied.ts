/**
 * What the last apply wrote, as the state keeps it: the payload with its literal secrets put back
 * when the state's digest says the last apply wrote the code's (the state never holds a secret).
 */
import { createHash } from "node:crypto";
import { isRefPlaceholder } from "../runtime/contract.js";
import { valueAt, withValueAt } from "../schema/validate.js";
import { isRecord } from "./plugin-values.js";
import type { DesiredPlugin } from "./stacks.js";

/**
 * The last applied payload with its secrets, when they are the literal secrets of the code: the state
 * keeps only a digest of them (`secret_sha256`: of `<id>:<first>\n<second>…`, in the order of their
 * placeholders `secret`, `secret_1`, …), which tells whether the last apply wrote these.
 */
export function withAppliedSecret(
  payload: Record<string, unknown>,
  applied: Readonly<Record<string, string>>,
  desired: DesiredPlugin,
  id: string,
): Record<string, unknown> {
  if (typeof applied.secret_sha256 !== "string") return payload;
  const places: Array<{ order: number; path: Array<string | number> }> = [];
  const visit = (value: unknown, at: Array<string | number>): void => {
    if (isRefPlaceholder(value)) {
      const match = /^secret(?:_(\d+))?$/.exec(value.$ref);
      if (match && value.as === "base64") places.push({ order: match[1] === undefined ? 0 : Number(match[1]), path: at });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...at, i]));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) visit(v, [...at, k]);
  };
  visit(payload.config, ["config"]);
  if (places.length === 0) return payload;
  places.sort((a, b) => a.order - b.order);
  const wanted = places.map((place) => valueAt(desired.payload, place.path));
  if (!wanted.every((value): value is string => typeof value === "string")) return payload;
  const digest = createHash("sha256").update(`${id}:${wanted.join("\n")}`, "utf8").digest("hex");
  if (applied.secret_sha256 !== digest) return payload;
  let out: unknown = payload;
  places.forEach((place, i) => (out = withValueAt(out, place.path, wanted[i])));
  return out as Record<string, unknown>;
}

/** A body without its `{"$ref": …}` placeholders: their names (`1`, `secret_1`) are no secrets. */
export function withoutPlaceholders(value: unknown): unknown {
  if (isRefPlaceholder(value)) return undefined;
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPlaceholders(v)]));
  return value;
}

