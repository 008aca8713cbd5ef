/**
 * Field-level comparison of a desired plugin of any name but `session` (the Kong body a stack sends)
 * with the live one, by the plugin's facts at the stack's Kong version and edition.
 *
 * Whether the plugin is unchanged is the apply-time program's own rule, `storesSameByFacts`: each
 * field the code leaves out is compared with Kong's default there (records field by field), so that
 * what Kong filled in does not show as a change. As at apply, a field Kong generates (a namespace, a
 * provision key) that the code leaves out keeps its live value, and `created_at` is never compared;
 * the owner tag is the library's: compared are the user's tags. Values known only at apply
 * (`{"$ref": …}` placeholders) are listed, not compared. A change of a secret (every value of a field
 * Kong encrypts or takes vault references in) is reported without its values.
 *
 * A plugin without facts (a custom plugin): Kong's defaults of its config are unknown here, so only
 * the config fields the code sets are compared.
 */
import type { KongPlugin } from "../runtime/client.js";
import { isRefPlaceholder } from "../runtime/contract.js";
import { REDACTED } from "../runtime/log.js";
import { userTags } from "../runtime/ownership.js";
import { withCarryOver } from "../runtime/actions.js";
import { attributesAt, existsAt } from "../schema/engine/facts-schema.js";
import { defaultOf, storesSameByFacts } from "../schema/engine/stored-facts.js";
import { DEFAULT_TARGET, resolveTarget, targetProblem, type KongTarget, type ResolvedTarget } from "../schema/engine/target.js";
import type { FieldFacts } from "../schema/facts.js";
import { formatPath } from "../schema/fields.js";
import { loadPluginFacts } from "../schema/generated/catalog.js";
import { isSecretField } from "../schema/plugin-secrets.js";
import { sameJson } from "../schema/stored.js";
import { partialsAsDesired, type Comparison, type FieldChange } from "./compare.js";
import { isRecord } from "./plugin-values.js";

type Path = Array<string | number>;

/** Set by Kong on every write, or the identity itself: not compared. */
const NOT_COMPARED = new Set(["id", "name", "created_at", "updated_at"]);
/** The entity fields with a default other than "unset". */
const ENTITY_DEFAULTS: Readonly<Record<string, unknown>> = { enabled: true };
/** The foreign keys, compared (and reported) by their id. */
const SCOPES = new Set(["route", "service", "consumer", "consumer_group"]);
/** The protocols of a plugin without facts: the plugin entity's default. */
const ENTITY_PROTOCOLS = ["grpc", "grpcs", "http", "https"];

/** The target a stack's request names, resolved; the newest Kong Enterprise when it names none (or an invalid one). */
export function resolveStackTarget(target: KongTarget | undefined): ResolvedTarget {
  if (!target || targetProblem(target)) return resolveTarget(DEFAULT_TARGET);
  return resolveTarget(target);
}

/** Compares the desired body of a plugin (not the session plugin) with the live plugin. */
export function comparePluginByFacts(desired: Readonly<Record<string, unknown>>, live: KongPlugin, target: ResolvedTarget): Comparison {
  const name = String(desired.name);
  const facts = loadPluginFacts(name);
  const knownAfterApply: string[] = [];
  // values known only at apply take the live value: they are listed, not compared
  const resolved = resolvePlaceholders(desired, live, [], knownAfterApply) as Record<string, unknown>;
  const body: Record<string, unknown> = withCarryOver(resolved, live);
  delete body.created_at;
  const { created_at: _created, ...liveEntity } = live as Record<string, unknown>;
  body.tags = Array.isArray(body.tags) ? userTags(body.tags) : [];
  liveEntity.tags = userTags(live.tags) ?? [];
  body.partials = partialsAsDesired(body.partials, live.partials);
  if (body.partials === undefined) delete body.partials;

  // a plugin of another kind: its fields are another plugin's, the name says it all
  if (live.name !== name) return { changes: [{ field: "name", desired: name, live: live.name }], knownAfterApply };
  const changes: FieldChange[] = [];
  const walker = new Walker(target.dataIndex, changes);
  if (facts) {
    walker.entity(body, liveEntity, facts.protocols);
    walker.field(facts.config, body.config, liveEntity.config, ["config"], false);
    // the rule apply goes by decides; the walk above names the fields
    if (storesSameByFacts(body, liveEntity, facts, target)) return { changes: [], knownAfterApply };
    if (changes.length === 0) changes.push({ field: "(plugin)", desired: REDACTED, live: REDACTED, secret: true });
  } else {
    walker.entity(body, liveEntity, { t: "array", d: ENTITY_PROTOCOLS });
    const want = isRecord(body.config) ? body.config : {};
    const have = isRecord(liveEntity.config) ? liveEntity.config : {};
    for (const key of Object.keys(want)) {
      const secret = key === "secret" && typeof want[key] === "string";
      if (!sameJson(want[key], have[key])) changes.push(change(["config", key], want[key], have[key], secret));
    }
  }
  return { changes, knownAfterApply };
}

/** Walks the desired and live values side by side, with the semantics of `storesSameByFacts`. */
class Walker {
  constructor(
    private readonly index: number,
    private readonly changes: FieldChange[],
  ) {}

  /** The entity fields (all but config). */
  entity(body: Record<string, unknown>, live: Record<string, unknown>, protocols: FieldFacts): void {
    for (const key of new Set([...Object.keys(body), ...Object.keys(live)])) {
      if (NOT_COMPARED.has(key) || key === "config") continue;
      if (key === "protocols") {
        this.field(protocols, body.protocols, live.protocols, ["protocols"], false);
        continue;
      }
      const want = key in body ? body[key] : (ENTITY_DEFAULTS[key] ?? null);
      if (SCOPES.has(key)) {
        const wantId = isRecord(want) ? want.id : want;
        const haveId = isRecord(live[key]) ? (live[key] as Record<string, unknown>).id : live[key];
        if (!sameJson(wantId ?? null, haveId ?? null)) this.changes.push(change([key, "id"], wantId, haveId, false));
        continue;
      }
      if (!sameJson(want, live[key])) this.changes.push(change([key], want, live[key], false));
    }
  }

  /** One field: a value the body gives (undefined: left out) against the live one. */
  field(field: FieldFacts | undefined, want: unknown, have: unknown, path: Path, inheritedSecret: boolean): void {
    const secret = inheritedSecret || isSecretField(field);
    if (field === undefined || !existsAt(field, this.index)) {
      if (!sameJson(want ?? null, have)) this.changes.push(change(path, want ?? null, have, secret || hasSecrets(field)));
      return;
    }
    // as storesSameByFacts: a record the code leaves out may also be stored as null (Kong leaves an
    // optional record unset): only its fields that hold a value other than their default differ
    if (want === undefined && field.t === "record" && attributesAt(field, this.index).d === undefined && (have === null || have === undefined)) return;
    const desired = want === undefined ? defaultOf(field, this.index) : want;
    if (field.t === "record" && isRecord(desired) && isRecord(have)) {
      for (const key of new Set([...Object.keys(desired), ...Object.keys(have), ...Object.keys(field.f ?? {})])) {
        this.field(field.f?.[key], desired[key], have[key], [...path, key], secret);
      }
      return;
    }
    if (field.t === "array" && field.i?.t === "record" && Array.isArray(desired) && Array.isArray(have) && desired.length === have.length) {
      desired.forEach((item, i) => this.field(field.i, item, have[i], [...path, i], secret || isSecretField(field.i)));
      return;
    }
    if (!sameJson(desired, have)) this.changes.push(change(path, desired, have, secret || hasSecrets(field)));
  }
}

function change(path: Path, desired: unknown, live: unknown, secret: boolean): FieldChange {
  const field = formatPath(path);
  if (secret) return { field, desired: REDACTED, live: REDACTED, secret: true };
  return { field, desired: desired === undefined ? null : desired, live: live === undefined ? null : live };
}

/** Whether a field or one of its descendants is a secret. */
function hasSecrets(field: FieldFacts | undefined): boolean {
  if (!field) return false;
  if (isSecretField(field)) return true;
  return Object.values(field.f ?? {}).some(hasSecrets) || hasSecrets(field.i) || hasSecrets(field.m);
}

/** The desired value with each placeholder replaced by the live value at its place (its path listed). */
function resolvePlaceholders(value: unknown, live: unknown, path: Path, found: string[]): unknown {
  if (isRefPlaceholder(value)) {
    found.push(path.length === 1 && SCOPES.has(String(path[0])) ? `${path[0]}.id` : formatPath(path));
    return path.length === 1 && path[0] === "tags" ? userTags(live) : live;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolvePlaceholders(item, Array.isArray(live) ? live[i] : undefined, [...path, i], found));
  if (isRecord(value)) {
    const from = isRecord(live) ? live : {};
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, from[k], [...path, k], found)]));
  }
  return value;
}

