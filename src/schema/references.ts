import { ENTITY_KIND_BY_NAME } from "./entity-kinds.js";

/**
 * References between constructs: a construct of a core entity (a `Route`, a `Service`, …) given where
 * Kong takes a foreign key becomes the `{ id }` Kong takes, its id known at synth.
 */

/** What a construct of a core entity offers for a foreign key. */
export interface KongReferenceable {
  toKongReference(): { readonly id: string };
}

export function isKongReferenceable(value: unknown): value is KongReferenceable {
  return value !== null && typeof value === "object" && typeof (value as { toKongReference?: unknown }).toKongReference === "function";
}

/** The props of a plugin that take a foreign key. */
const SCOPE_PROPS = ["route", "service", "consumer", "consumerGroup"] as const;

/** A copy of the props with each scope given as a construct turned into `{ id }`; the props themselves when there is none. */
export function withReferences<T extends object>(props: T): T {
  const record = props as Record<string, unknown>;
  if (!SCOPE_PROPS.some((key) => isKongReferenceable(record[key]))) return props;
  const out: Record<string, unknown> = { ...record };
  for (const key of SCOPE_PROPS) if (isKongReferenceable(out[key])) out[key] = (out[key] as KongReferenceable).toKongReference();
  return out as T;
}

/**
 * A foreign key given by the endpoint key of the kind it points at (`{ name: "checkout" }`, a
 * consumer's `{ username: "alice" }`), as Kong accepts it and resolves it to the id
 * (kong/db/dao/init.lua `resolve_foreign`); undefined for anything else (`{ id }` among them).
 */
export function nameReference(value: unknown, endpointKey: string | undefined): { readonly key: string; readonly value: unknown } | undefined {
  if (endpointKey === undefined || value === null || typeof value !== "object" || Array.isArray(value) || isKongReferenceable(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  return keys.length === 1 && keys[0] === endpointKey ? { key: endpointKey, value: record[endpointKey] } : undefined;
}

/** The kind a plugin's scope points at, by Kong's field name. */
export const SCOPE_KINDS: Readonly<Record<string, string>> = { route: "routes", service: "services", consumer: "consumers", consumer_group: "consumer_groups" };

/**
 * A copy of the payload with each foreign key given by name (`{ name }`, `{ username }`) that
 * `idOf` answers made `{ id }`; the payload itself when none is.
 *
 * @param foreign the payload's foreign keys: Kong field → the kind it points at
 * @param idOf the id of the entity of a kind whose endpoint key holds the name, or undefined
 */
function withNamesResolved(
  payload: Record<string, unknown>,
  foreign: Readonly<Record<string, string>>,
  idOf: (kind: string, name: unknown) => string | undefined,
): Record<string, unknown> {
  let out = payload;
  for (const [field, kind] of Object.entries(foreign)) {
    const byName = nameReference(payload[field], ENTITY_KIND_BY_NAME.get(kind)?.endpointKey);
    const id = byName && idOf(kind, byName.value);
    if (id === undefined) continue;
    if (out === payload) out = { ...payload };
    out[field] = { id };
  }
  return out;
}

/**
 * What a reference by name stands for among some entities (one provider's): a function that makes
 * each foreign key of a payload given by the endpoint key of one of them, in the same workspace, its
 * `{ id }` ({@link withNamesResolved}); a name none of them has stays as it is.
 */
export function namesAmong(
  entities: Iterable<{ readonly kind: string; readonly id: unknown; readonly workspace?: unknown; readonly body: Readonly<Record<string, unknown>> }>,
): (payload: Record<string, unknown>, workspace: unknown, foreign: Readonly<Record<string, string>>) => Record<string, unknown> {
  const at = (workspace: unknown, kind: string, name: unknown) => `${workspace === "default" || workspace === undefined ? "" : String(workspace)}|${kind}|${String(name)}`;
  const ids = new Map<string, string>();
  for (const entity of entities) {
    const key = ENTITY_KIND_BY_NAME.get(entity.kind)?.endpointKey;
    if (key !== undefined && typeof entity.body[key] === "string" && typeof entity.id === "string") ids.set(at(entity.workspace, entity.kind, entity.body[key]), entity.id);
  }
  return (payload, workspace, foreign) => withNamesResolved(payload, foreign, (kind, name) => ids.get(at(workspace, kind, name)));
}
