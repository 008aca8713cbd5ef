/**
 * Kong's collection listing: `size` and `offset` (kong/api/endpoints.lua, kong/db/dao/init.lua,
 * the Postgres strategy's `page`) and the `tags` filter (`a,b` = all of them, `a/b` = any of them).
 */
import { invalidOffset, invalidOptions, invalidSize, KongInternalError } from "./kong-errors.js";
import { escapeUri, luaToNumber, nginxBase64Decode, nginxBase64Encode } from "./lua-compat.js";
import { isTagChar } from "./kong-schema.js";
import { errorResult, type ApiResult } from "./plugin-dao.js";
import { isValidUuid, type JsonObject } from "./schema-engine.js";

/** Where a listing comes from. */
export interface PageOptions {
  /** rows of the collection, sorted by id */
  readonly rows: readonly JsonObject[];
  /** the query string */
  readonly query: URLSearchParams;
  /** the path `next` points to, e.g. `/plugins` or `/routes/r1/plugins` */
  readonly nextPath: string;
  /** nested listings (`/routes/{id}/plugins`) ignore `tags` and keep neither `tags` nor `size` in `next` */
  readonly nested: boolean;
  /** how a row is shown */
  readonly output: (row: JsonObject) => JsonObject;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** Splits a tag filter on `sep` when it is well formed (Kong's TAGS_AND_REGEX / TAGS_OR_REGEX). */
function splitTags(filter: string, sep: "," | "/"): string[] | undefined {
  if (filter.length === 0) return undefined;
  const parts = filter.split(sep);
  const checked = filter.endsWith(sep) ? parts.slice(0, -1) : parts;
  if (!checked.every((tag) => tag.length > 0 && [...tag].every(isTagChar))) return undefined;
  return parts;
}

/** One page of a collection, or Kong's error for a bad `size`, `offset` or `tags`. */
export function page(options: PageOptions): ApiResult {
  const { query } = options;
  const tagValues = query.getAll("tags");
  const tagFilter = tagValues[0];
  let tags: string[] | undefined;
  let mode: "and" | "or" | undefined;
  if (tagFilter !== undefined) {
    if (tagFilter === "") return errorResult(invalidOptions(new Map([["tags", "cannot be null"]])));
    const and = splitTags(tagFilter, ",");
    const or = and ? undefined : splitTags(tagFilter, "/");
    tags = and ?? or;
    mode = and ? "and" : or ? "or" : undefined;
  }
  const sizeValues = query.getAll("size");
  let size = DEFAULT_PAGE_SIZE;
  if (sizeValues.length > 0) {
    const parsed = sizeValues.length === 1 ? luaToNumber(sizeValues[0]!) : undefined;
    if (parsed === undefined) return errorResult(invalidSize("size must be a number"));
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PAGE_SIZE) {
      return errorResult(invalidSize(`size must be an integer between 1 and ${MAX_PAGE_SIZE}`));
    }
    size = parsed;
  }
  if (tagFilter !== undefined) {
    if (!tags) return errorResult(invalidOptions(new Map([["tags", "invalid filter syntax"]])));
    if (tags.length > 5) return errorResult(invalidOptions(new Map([["tags", "cannot query more than 5 tags"]])));
  }
  const offsetValues = query.getAll("offset");
  if (offsetValues.length > 1) throw new KongInternalError("offset must be a string");
  const offset = offsetValues[0];
  let after: string | undefined;
  let afterNothing = false;
  if (offset !== undefined) {
    const decoded = nginxBase64Decode(offset);
    if (!decoded) return errorResult(invalidOffset(offset, "bad base64 encoding"));
    let token: unknown;
    try {
      token = JSON.parse(decoded.toString("utf8"));
    } catch {
      return errorResult(invalidOffset(offset, "bad json encoding"));
    }
    const first = Array.isArray(token) ? token[0] : undefined;
    if (first === undefined || first === null) afterNothing = true;
    else if (isValidUuid(first)) after = first.toLowerCase();
    else throw new KongInternalError("invalid input syntax for type uuid");
  }

  let rows = options.rows;
  if (!options.nested && tags) {
    const wanted = tags;
    rows = rows.filter((row) => {
      const own = Array.isArray(row["tags"]) ? (row["tags"] as unknown[]) : [];
      return mode === "and" ? wanted.every((t) => own.includes(t)) : wanted.some((t) => own.includes(t));
    });
  }
  if (afterNothing) rows = [];
  else if (after !== undefined) rows = rows.filter((row) => (row["id"] as string) > after!);

  const data = rows.slice(0, size);
  const more = rows.length > size;
  const nextOffset = more ? nginxBase64Encode(JSON.stringify([data[size - 1]!["id"]])) : undefined;
  let next: string | null = null;
  if (nextOffset !== undefined) {
    next = `${options.nextPath}?offset=${escapeUri(nextOffset)}`;
    if (!options.nested) {
      if (tagFilter !== undefined) next += `&tags=${escapeUri(tagFilter)}`;
      if (sizeValues.length > 0) next += `&size=${sizeValues[0]}`;
    }
  }
  const body: JsonObject = { data: data.map(options.output) };
  if (nextOffset !== undefined) body["offset"] = nextOffset;
  body["next"] = next;
  return { status: 200, body };
}
