/**
 * Field-level comparison of a desired session plugin (the Kong body a stack sends) with the live one.
 *
 * The desired body has Kong's defaults filled in first: a field the code leaves unset means Kong's
 * default, so a hand change of a defaulted field shows. An empty list is a value: `[]` and null (unset)
 * differ, as they do in Kong. Timestamps and the id are not compared; the
 * secret is compared only when the desired body holds a literal one, and is never printed; values
 * known only at apply (`{"$ref": …}` placeholders) are listed, not compared.
 */
import type { KongPlugin } from "../runtime/client.js";
import { isRefPlaceholder } from "../runtime/contract.js";
import { REDACTED } from "../runtime/log.js";
import { userTags } from "../runtime/ownership.js";
import { CONFIG_FIELDS, PLUGIN_FIELDS, RECORD_FIELDS, type FieldSpec } from "../schema/fields.js";
import { isRecord, sameValue } from "./plugin-values.js";

/** One field whose live value differs from the desired one. */
export interface FieldChange {
  /** Kong's name, e.g. `config.cookie_name`, `route.id` */
  readonly field: string;
  /** the desired value (`null` for none); `<redacted>` for the secret */
  readonly desired: unknown;
  /** the live value (`null` for none); `<redacted>` for the secret */
  readonly live: unknown;
  /** true for the secret: print `(changed)`, never the values */
  readonly secret?: boolean;
}

/** The outcome of {@link comparePlugin}. */
export interface Comparison {
  readonly changes: readonly FieldChange[];
  /** fields whose desired value is known only at apply (Kong names) */
  readonly knownAfterApply: readonly string[];
}

/** Fields of the top level that are not compared: identity and what Kong sets on every write. */
const NOT_COMPARED = new Set(["id", "created_at", "updated_at"]);

/** Compares the desired body (defaults filled in) with the live plugin. */
export function comparePlugin(desired: Readonly<Record<string, unknown>>, live: KongPlugin): Comparison {
  const changes: FieldChange[] = [];
  const knownAfterApply: string[] = [];
  /** `present`: whether the live entity has the field at all (an older Kong lacks newer fields) */
  const compare = (field: string, spec: FieldSpec | undefined, want: unknown, have: unknown, present = true) => {
    if (want === undefined && !present) return;
    if (containsPlaceholder(want)) {
      knownAfterApply.push(field);
      return;
    }
    const wanted = want === undefined ? defaultFor(spec) : want;
    if (!sameValue(spec, wanted, have)) changes.push({ field, desired: wanted ?? null, live: have ?? null });
  };

  if (live.name !== desired.name) changes.push({ field: "name", desired: desired.name, live: live.name });

  for (const spec of PLUGIN_FIELDS) {
    if (NOT_COMPARED.has(spec.kong)) continue;
    if (spec.kong === "tags") {
      // the owner tag is the library's, not the user's: compared are the user's tags (always sent, [] for none)
      compare("tags", spec, isRefPlaceholder(desired.tags) ? desired.tags : (desired.tags ?? []), userTags(live.tags) ?? []);
      continue;
    }
    compare(spec.kong, spec, desired[spec.kong], live[spec.kong], spec.kong in live);
  }
  for (const record of ["route", "service"] as const) {
    const want = desired[record];
    if (isRefPlaceholder(want)) {
      knownAfterApply.push(`${record}.id`);
      continue;
    }
    compare(`${record}.id`, undefined, isRecord(want) ? want.id : undefined, isRecord(live[record]) ? live[record].id : undefined);
  }
  if (desired.ordering !== undefined || "ordering" in live) comparePhases(desired.ordering, live.ordering, compare, knownAfterApply);
  compare("partials", undefined, partialsAsDesired(desired.partials, live.partials), nothingToNull(live.partials), "partials" in live);

  const wantConfig = desired.config;
  if (isRefPlaceholder(wantConfig)) {
    knownAfterApply.push("config");
  } else {
    const want = isRecord(wantConfig) ? wantConfig : {};
    const have = isRecord(live.config) ? live.config : {};
    for (const spec of CONFIG_FIELDS) {
      const field = `config.${spec.kong}`;
      if (spec.secret) {
        const secret = want[spec.kong];
        if (containsPlaceholder(secret)) knownAfterApply.push(field);
        else if (typeof secret === "string" && secret !== have[spec.kong]) {
          changes.push({ field, desired: REDACTED, live: REDACTED, secret: true });
        }
        continue;
      }
      compare(field, spec, want[spec.kong], have[spec.kong], spec.kong in have);
    }
    const known = new Set(CONFIG_FIELDS.map((f) => f.kong));
    for (const name of Object.keys(want).filter((k) => !known.has(k))) compare(`config.${name}`, undefined, want[name], have[name]);
  }
  return { changes, knownAfterApply };
}

/** Kong's default of a field; `null` for a field without one. */
function defaultFor(spec: FieldSpec | undefined): unknown {
  return spec && "kongDefault" in spec ? spec.kongDefault : null;
}

function comparePhases(
  want: unknown,
  have: unknown,
  compare: (field: string, spec: FieldSpec | undefined, want: unknown, have: unknown) => void,
  knownAfterApply: string[],
): void {
  if (isRefPlaceholder(want)) {
    knownAfterApply.push("ordering");
    return;
  }
  const keys = RECORD_FIELDS["ordering.after"]!.map((f) => f.kong);
  for (const phase of ["after", "before"]) {
    const wantPhase = isRecord(want) ? want[phase] : undefined;
    const havePhase = isRecord(have) ? have[phase] : undefined;
    for (const key of keys) {
      compare(
        `ordering.${phase}.${key}`,
        undefined,
        isRefPlaceholder(wantPhase) ? wantPhase : isRecord(wantPhase) ? wantPhase[key] : undefined,
        isRecord(havePhase) ? havePhase[key] : undefined,
      );
    }
  }
}

/**
 * The desired partials; an item that names only some of `id`, `name`, `path` takes the others from
 * the live item at the same place (Kong fills them in from the partial).
 */
export function partialsAsDesired(want: unknown, have: unknown): unknown {
  if (!Array.isArray(want)) return want;
  const live = Array.isArray(have) ? have : [];
  return want.map((item, i) => {
    if (!isRecord(item) || !isRecord(live[i])) return item;
    const filled: Record<string, unknown> = {};
    for (const key of RECORD_FIELDS.partials!.map((f) => f.kong)) {
      filled[key] = item[key] !== undefined ? item[key] : live[i]![key];
    }
    return filled;
  });
}

function nothingToNull(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Whether a value holds a `{"$ref": …}` placeholder at any depth (a value known only at apply). */
export function containsPlaceholder(value: unknown): boolean {
  if (isRefPlaceholder(value)) return true;
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  if (isRecord(value)) return Object.values(value).some(containsPlaceholder);
  return false;
}
