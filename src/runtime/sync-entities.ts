/**
 * The core entities of `sync` and `teardown` (services, routes, consumers, credentials, …): what the
 * stack owns is found with one `GET /tags/{owner tag}` per workspace (every kind at once), the live
 * bodies of the declared kinds with one listing each; entities are written parents first (Kong's
 * foreign keys: a service before its routes, a consumer before its credentials, all before the
 * plugins) and deleted children first, each rank's several at once. Like the plugins', nothing another
 * stack owns, or nobody, is written or deleted unless the construct names its id (adoption).
 */
import { createHash } from "node:crypto";
import { collectionOf, ENTITY_KIND_BY_NAME, entityRank, type EntityKind } from "../schema/entity-kinds.js";
import { sameField } from "../schema/engine/stored-facts.js";
import { existsAt } from "../schema/engine/facts-schema.js";
import type { ResolvedTarget } from "../schema/engine/target.js";
import { entityPathToProps, expandServiceUrl } from "../schema/engine/validate-entity.js";
import type { EntityFacts } from "../schema/facts.js";
import { isRecord, sameJson } from "../schema/stored.js";
import { propName } from "../schema/naming.js";
import { nameReference } from "../schema/references.js";
import type { EntityDescription, KongAdminClient, KongEntity } from "./client.js";
import { KongApiError, KongOwnershipError, KongResponseError } from "./errors.js";
import type { DesiredEntity } from "./input.js";
import { formatWorkspace, type ApplyResult, type Logger } from "./log.js";
import { ownerTag, ownershipOf, withOwnerTag } from "./ownership.js";

/** An entity the stack owns, as `GET /tags/{owner tag}` lists it. */
export interface OwnedEntity {
  readonly kind: EntityKind;
  readonly id: string;
  readonly workspace: string | undefined;
  /** for a kind Kong serves only under its parent (targets): the parent's id, once known */
  parentId?: string;
}

/** `kind workspace id`, ids in lower case. */
export const entityKey = (kind: string, workspace: string | undefined, id: string) => `${kind} ${workspace ?? ""} ${id.toLowerCase()}`;

/** The entities that carry the owner tag, in the workspaces given (plugins and kinds this library does not declare left out). */
export async function ownedEntities(client: KongAdminClient, owner: string, workspaces: ReadonlyArray<string | undefined>): Promise<Map<string, OwnedEntity>> {
  const owned = new Map<string, OwnedEntity>();
  for (const workspace of workspaces) {
    const tagged = await client.tagged(workspace, ownerTag(owner));
    for (const row of tagged ?? []) {
      const kind = ENTITY_KIND_BY_NAME.get(row.kind);
      if (kind) owned.set(entityKey(kind.name, workspace, row.id), { kind, id: row.id, workspace });
    }
  }
  return owned;
}

/** One listing of `liveEntities`: a kind in a workspace, under one parent for a kind Kong serves only there. */
const listingKey = (kind: string, workspace: string | undefined, parentId = "") => `${kind}\u0000${workspace ?? ""}\u0000${parentId}`;

/** The live bodies of the declared kinds that carry the owner tag: one listing per kind and workspace (per parent for targets). */
export async function liveEntities(client: KongAdminClient, owner: string, declared: readonly DesiredEntity[], owned: ReadonlyMap<string, OwnedEntity>): Promise<Map<string, KongEntity>> {
  const live = new Map<string, KongEntity>();
  const listings = new Set<string>();
  for (const entity of declared) {
    const kind = ENTITY_KIND_BY_NAME.get(entity.kind)!;
    listings.add(listingKey(kind.name, entity.workspace, kind.nestedOnly ? (parentIdOf(kind, entity.payload) ?? "") : ""));
  }
  // the parents of the nested-only kinds the stack owns: their children may have left the code
  for (const entity of owned.values()) {
    if (!entity.kind.nestedOnly) continue;
    const parentKind = entity.kind.foreign[entity.kind.parent!]!;
    for (const other of owned.values()) if (other.kind.name === parentKind && other.workspace === entity.workspace) listings.add(listingKey(entity.kind.name, entity.workspace, other.id));
    for (const other of declared) if (other.kind === parentKind && other.workspace === entity.workspace) listings.add(listingKey(entity.kind.name, entity.workspace, other.id));
  }

  const listAll = async (which: Iterable<string>): Promise<void> => {
    for (const listing of which) {
      const [name, workspace, parentId] = listing.split("\u0000") as [string, string, string];
      const kind = ENTITY_KIND_BY_NAME.get(name)!;
      if (kind.nestedOnly && parentId === "") continue;
      const where = workspace || undefined;
      // a nested listing takes no tags filter: the owner tag is checked on each
      const options = kind.nestedOnly ? { size: 1000 } : { tags: [ownerTag(owner)], size: 1000 };
      try {
        for await (const entity of client.listEntities(collectionOf(kind, parentId), where, options)) {
          if (kind.nestedOnly && ownershipOf(entity.tags, owner).kind !== "mine") continue;
          live.set(entityKey(name, where, entity.id), entity);
          const known = owned.get(entityKey(name, where, entity.id));
          if (known) known.parentId = parentId;
        }
      } catch (error) {
        // a parent that is not there yet (it is written in this apply) has no children
        if (!(kind.nestedOnly && error instanceof KongApiError && error.status === 404)) throw error;
      }
    }
  };
  await listAll(listings);

  // an owned child under a parent the stack neither owns nor declares (`upstream: { id }`): it is
  // looked for under every parent of its workspace, each parent kind listed once
  const unplaced = [...owned.values()].filter((entity) => entity.kind.nestedOnly && entity.parentId === undefined);
  const more = new Set<string>();
  for (const key of new Set(unplaced.map((entity) => `${entity.kind.name}\u0000${entity.workspace ?? ""}`))) {
    const [kindName, workspace] = key.split("\u0000") as [string, string];
    const kind = ENTITY_KIND_BY_NAME.get(kindName)!;
    const parentKind = ENTITY_KIND_BY_NAME.get(kind.foreign[kind.parent!]!)!;
    for await (const parent of client.listEntities(parentKind.collection, workspace || undefined, { size: 1000 })) {
      const listing = listingKey(kindName, workspace || undefined, parent.id);
      if (!listings.has(listing)) more.add(listing);
    }
  }
  await listAll(more);
  return live;
}

/**
 * Deletes owned entities children first (each rank several at once: `inParallel`), a failure reported
 * and counted; Kong's cascades may have taken some already.
 */
export async function deleteChildrenFirst(
  client: KongAdminClient,
  entities: readonly OwnedEntity[],
  logger: Logger,
  inParallel: <T>(items: readonly T[], work: (item: T) => Promise<void>) => Promise<void>,
): Promise<{ deleted: number; failed: number }> {
  const tally = { deleted: 0, failed: 0 };
  for (const group of byRank(entities, (entity) => entity.kind.name).reverse()) {
    await inParallel(group, async (entity) => {
      try {
        await deleteEntity(client.fork(), entity, logger, Date.now());
        tally.deleted++;
      } catch (error) {
        logger.error(error);
        tally.failed++;
      }
    });
  }
  return tally;
}

/** The id of the entity's parent in its body (`upstream: { id }`). */
function parentIdOf(kind: EntityKind, payload: Readonly<Record<string, unknown>>): string | undefined {
  return kind.parent ? foreignId(payload[kind.parent]) : undefined;
}

/** Groups by rank, in write order (parents first). */
export function byRank<T>(items: readonly T[], kindOf: (item: T) => string): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const rank = entityRank(kindOf(item));
    groups.set(rank, [...(groups.get(rank) ?? []), item]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((rank) => groups.get(rank)!);
}

const describe = (kind: EntityKind, facts: EntityFacts | undefined): EntityDescription => ({
  entity: kind.what,
  propPathOf: (kongPath) => (facts ? entityPathToProps(facts, kongPath) : kongPath.join(".")),
});

/** What writing one entity did. */
export interface EntityOutcome {
  readonly result: ApplyResult;
  readonly entity: KongEntity;
}

/**
 * Writes one entity: reads it (unless listed), checks that it is this stack's to write (or adopted),
 * keeps its `created_at`, and writes the whole desired entity with one `PUT`, or nothing when Kong
 * holds it already.
 */
export async function writeEntity(
  client: KongAdminClient,
  entity: DesiredEntity,
  owner: string,
  target: ResolvedTarget,
  logger: Logger,
  started: number,
  listed: KongEntity | undefined,
): Promise<EntityOutcome> {
  const kind = ENTITY_KIND_BY_NAME.get(entity.kind)!;
  const { id, workspace } = entity;
  const description = describe(kind, entity.facts);
  const collection = collectionOf(kind, parentIdOf(kind, entity.payload));
  let live = listed ?? (await client.getEntity(collection, workspace, id, description));
  // a child Kong serves only under its parent, moved to another parent: Kong cannot move it, so it is
  // deleted under the old one and created under the new one
  if (live && kind.nestedOnly && kind.parent && foreignId(live[kind.parent]) !== undefined && foreignId(live[kind.parent]) !== parentIdOf(kind, entity.payload)) {
    if (ownershipOf(live.tags, owner).kind === "mine") {
      await client.deleteEntity(collectionOf(kind, foreignId(live[kind.parent])), workspace, id, description);
      logger.info(`${kind.what} ${id} ${formatWorkspace(workspace)} moves to another ${kind.parent}: deleted under the old one`);
      live = undefined;
    }
  }
  if (live) {
    if (live.id.toLowerCase() !== id.toLowerCase()) {
      throw new KongResponseError(`invalid answer to GET ${kind.collection}/${id}: Kong returned ${kind.what} ${live.id} instead`, { status: 200, method: "GET", url: `${client.serverUrl}/${kind.collection}/${id}` });
    }
    const ownership = ownershipOf(live.tags, owner);
    if (ownership.kind !== "mine") {
      if (!entity.adopt) {
        const whose = ownership.kind === "other" ? `managed by another stack (tag ${ownership.tag}; this stack's is ${ownerTag(owner)})` : "not created by this stack (it carries no owner tag)";
        throw new KongOwnershipError(
          `${kind.what} ${id} ${formatWorkspace(workspace)} is ${whose}: refusing to overwrite it ("${entity.path}"). To take it over on purpose, set the construct's id prop to its id`,
          ownership.kind === "other" ? ownership.tag : "",
        );
      }
      logger.warn(`adopting ${kind.what} ${id} ${formatWorkspace(workspace)}: ${ownership.kind === "other" ? `it was managed by another stack (tag ${ownership.tag})` : "no stack managed it"}; this stack's id prop names it, so it takes it over`);
    }
  }
  const body: Record<string, unknown> = { ...expandedPayload(kind, entity.payload), tags: withOwnerTag(entity.payload.tags, owner) };
  if (live && body.created_at === undefined && typeof live.created_at === "number") body.created_at = live.created_at;
  // what Kong generated (a credential's key or secret) is kept: a new value would lock its clients out
  for (const field of kind.generated ?? []) if (live && body[field] === undefined && typeof live[field] === "string") body[field] = live[field];
  if (live && storesSameEntity(kind, entity.facts, body, live, target)) {
    logger.debug(`${kind.what} ${id} unchanged ${formatWorkspace(workspace)} in ${Date.now() - started} ms`);
    return { result: "unchanged", entity: live };
  }
  // Kong's `PUT` of a target only updates (kong/api/routes/upstreams.lua): a new one is a `POST`
  const stored = kind.nestedOnly && !live ? await client.postEntity(collection, workspace, id, body, description) : await client.putEntity(collection, workspace, id, body, description);
  const result: ApplyResult = live ? "updated" : "created";
  const changed = live ? changedFields(live, stored) : [];
  const where = formatWorkspace(workspace);
  logger.info(`${result} ${kind.what} ${id} ${where}${changed.length > 0 ? ` (${changed.join(", ")})` : ""} in ${Date.now() - started} ms`);
  return { result, entity: stored };
}

/** Deletes one entity the stack owns (the owner tag listed it); a missing one (a cascade took it) counts as deleted. */
export async function deleteEntity(client: KongAdminClient, owned: OwnedEntity, logger: Logger, started: number): Promise<void> {
  // a nested-only entity whose parent is gone went with it (Kong's cascade)
  const deleted =
    owned.kind.nestedOnly && owned.parentId === undefined
      ? false
      : await client.deleteEntity(collectionOf(owned.kind, owned.parentId), owned.workspace, owned.id, describe(owned.kind, undefined));
  const where = formatWorkspace(owned.workspace);
  logger.info(deleted ? `deleted ${owned.kind.what} ${owned.id} ${where} in ${Date.now() - started} ms` : `${owned.kind.what} ${owned.id} already absent ${where}`);
}

/** A service's `url` split as Kong splits it (a reference at synth is known now), so that it compares with what Kong stores. */
export function expandedPayload(kind: EntityKind, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (kind.name !== "services" || typeof payload.url !== "string") return { ...payload };
  return expandServiceUrl({ ...payload }, () => false).body;
}

/** Set by Kong on every write, or the identity: not compared. */
const NOT_COMPARED = new Set(["id", "created_at", "updated_at"]);

/**
 * Whether a `PUT` of the body would store what Kong holds: each field the body leaves out against
 * Kong's default, foreign keys by id, a basic-auth password against the salted hash Kong keeps of it
 * (kong/plugins/basic-auth/crypto.lua: the hex SHA-1 of the password followed by the consumer id).
 */
export function storesSameEntity(kind: EntityKind, facts: EntityFacts, body: Readonly<Record<string, unknown>>, live: Readonly<Record<string, unknown>>, target: ResolvedTarget): boolean {
  return entityChanges(kind, facts, body, live, target, true).length === 0;
}

/**
 * The top-level fields in which a `PUT` of the body would change what Kong holds, in Kong's names
 * (`created_at` only when the body sets it), by the rules of {@link storesSameEntity}.
 *
 * @param first stop at the first (an answer to "same?")
 */
export function entityChanges(
  kind: EntityKind,
  facts: EntityFacts,
  body: Readonly<Record<string, unknown>>,
  live: Readonly<Record<string, unknown>>,
  target: ResolvedTarget,
  first = false,
): string[] {
  const changed: string[] = [];
  if (body.created_at !== undefined && body.created_at !== live.created_at) changed.push("created_at");
  const index = target.dataIndex;
  const fields = facts.fields.f ?? {};
  for (const key of new Set([...Object.keys(body), ...Object.keys(live), ...Object.keys(fields)])) {
    if (first && changed.length > 0) break;
    if (NOT_COMPARED.has(key) || (kind.excluded ?? []).includes(key)) continue;
    const field = fields[key];
    // a field this Kong does not have (another version's, another router's) and the body leaves out
    if (body[key] === undefined && (!(key in live) || (field && !existsAt(field, index)))) continue;
    if (key in kind.foreign) {
      if (foreignId(body[key]) !== foreignId(live[key])) changed.push(key);
      continue;
    }
    if (kind.name === "basicauth_credentials" && key === "password") {
      const consumer = foreignId(body.consumer);
      const same = typeof body.password === "string" && consumer !== undefined && (live.password === body.password || live.password === createHash("sha1").update(body.password + consumer).digest("hex"));
      if (!same) changed.push(key);
      continue;
    }
    // a service's url: write-only, never returned
    if (kind.name === "services" && key === "url") {
      if (body.url !== undefined) changed.push(key);
      continue;
    }
    // upstreams.lua: the least-connections and latency algorithms store no hash_on
    if (kind.name === "upstreams" && key === "hash_on" && body.hash_on === undefined && (body.algorithm === "least-connections" || body.algorithm === "latency")) {
      if (!sameJson(null, live.hash_on)) changed.push(key);
      continue;
    }
    if (field === undefined ? !sameJson(body[key] ?? null, live[key]) : !sameField(field, body[key], live[key], index)) changed.push(key);
  }
  return changed.sort();
}

/** The ids an entity's body refers to (its foreign keys), in lower case. */
export function referencedIds(kind: EntityKind, payload: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(kind.foreign).map((name) => foreignId(payload[name])).filter((id): id is string => id !== undefined);
}

export function foreignId(value: unknown): string | undefined {
  return isRecord(value) && typeof value.id === "string" ? value.id.toLowerCase() : undefined;
}

/** Top-level fields whose values differ, timestamps aside. */
function changedFields(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !NOT_COMPARED.has(key) && !sameJson(before[key] ?? null, after[key] ?? null)).sort();
}

/** What names another entity: a plugin (its scopes) or an entity (its foreign keys). */
export interface NamingItem {
  /** `key-auth plugin at "gw/auth"`, `route at "gw/r"` */
  readonly subject: string;
  readonly workspace: string | undefined;
  readonly payload: Record<string, unknown>;
  /** the Kong fields that may name an entity → the kind they point at */
  readonly foreign: Readonly<Record<string, string>>;
}

/**
 * Makes every reference by name (`route: { name: "checkout" }`) the `{ id }` Kong would store, in
 * place, so that what the stack declares compares equal to what Kong holds: by the declared entities
 * first, then with one `GET /{collection}/{name}` per name and workspace. Only reads: the problems
 * (a name Kong does not hold) are returned before anything is written.
 */
export async function resolveNames(
  client: KongAdminClient,
  items: readonly NamingItem[],
  declared: ReadonlyArray<{ readonly kind: string; readonly id: unknown; readonly path?: string; readonly workspace?: unknown; readonly payload: Record<string, unknown> }>,
  removed: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const workspaceOf = (workspace: unknown) => (workspace === "default" || typeof workspace !== "string" ? "" : workspace);
  const at = (workspace: unknown, kind: string, value: string) => `${workspaceOf(workspace)}|${kind}|${value}`;
  const known = new Map<string, Promise<{ readonly id: string; readonly live: boolean } | undefined>>();
  // the declared entities by id: a name Kong holds at one of them is that entity's old name, which this apply changes
  const byId = new Map<string, (typeof declared)[number]>();
  for (const entity of declared) {
    if (typeof entity.id !== "string") continue;
    byId.set(`${workspaceOf(entity.workspace)}|${entity.kind}|${entity.id.toLowerCase()}`, entity);
    const key = ENTITY_KIND_BY_NAME.get(entity.kind)?.endpointKey;
    if (key !== undefined && typeof entity.payload[key] === "string") known.set(at(entity.workspace, entity.kind, entity.payload[key] as string), Promise.resolve({ id: entity.id, live: false }));
  }
  const problems: string[] = [];
  await Promise.all(
    items.flatMap((item) =>
      Object.entries(item.foreign).map(async ([field, kindName]) => {
        const kind = ENTITY_KIND_BY_NAME.get(kindName)!;
        const byName = nameReference(item.payload[field], kind.endpointKey);
        if (byName === undefined || typeof byName.value !== "string") return;
        const name = byName.value;
        const key = at(item.workspace, kindName, name);
        let lookup = known.get(key);
        if (lookup === undefined) {
          lookup = client.getEntity(kind.collection, workspaceOf(item.workspace) || undefined, name).then((live) => (live ? { id: live.id, live: true } : undefined));
          known.set(key, lookup);
        }
        const found = await lookup;
        const named = `${kind.what} "${name}", which the ${item.subject} names (${propName(field)}.${byName.key}),`;
        if (found === undefined) {
          problems.push(`${named} is not in Kong ${formatWorkspace(workspaceOf(item.workspace) || undefined)}: declare it in the stack, or create it before the apply`);
          return;
        }
        const renamed = found.live ? byId.get(`${workspaceOf(item.workspace)}|${kindName}|${found.id.toLowerCase()}`) : undefined;
        if (renamed !== undefined) {
          const now = kind.endpointKey !== undefined ? renamed.payload[kind.endpointKey] : undefined;
          problems.push(`${named} is the ${kind.what} at "${renamed.path ?? renamed.id}", which this apply renames${typeof now === "string" ? ` to "${now}"` : ""}: name the new name, or refer to its construct`);
        } else if (found.live && removed.has(found.id.toLowerCase())) {
          problems.push(`${named} is a ${kind.what} this stack created and no longer declares, which this apply deletes: declare it again, or name another`);
        } else item.payload[field] = { id: found.id };
      }),
    ),
  );
  return problems.sort();
}
