/**
 * `sync` and `teardown`: one process for every plugin of a provider of the stack. `sync` makes Kong
 * hold the desired set: it lists the plugins that carry the stack's owner tag (what the previous
 * applies wrote; after an upgrade from the per-resource layout, also what its reaper's list names),
 * deletes those the code no longer declares, then writes only what differs (a GET
 * for a plugin not listed, a PUT per changed one), several at once over kept-alive connections,
 * each within its own deadline. `teardown` deletes every plugin that carries the owner tag. Neither
 * writes nor deletes a plugin another stack owns (see `ownership.ts`).
 */
import type { ActionContext } from "./actions.js";
import { deleteOne, writePlugin, type ApplyOutcome } from "./actions.js";
import type { KongAdminClient, KongPlugin } from "./client.js";
import { KongConfigError } from "./errors.js";
import { readReapInput, readSyncInput, readTeardownInput, type DesiredPlugin, type Env } from "./input.js";
import { ownerTag } from "./ownership.js";
import { valueAt, type ValidationIssue } from "../schema/validate.js";
import { entitySecretPaths, validateEntityBody } from "../schema/engine/validate-entity.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { DEFAULT_TARGET, resolveTarget } from "../schema/engine/target.js";
import { byRank, deleteChildrenFirst, entityKey, foreignId, liveEntities, ownedEntities, referencedIds, resolveNames, writeEntity, type OwnedEntity } from "./sync-entities.js";
import { SCOPE_KINDS } from "../schema/references.js";

/** How many requests `sync` has in flight at once. */
export const SYNC_CONCURRENCY = 8;

/** What `sync` did, for its summary line and the tests. */
export interface SyncOutcome {
  readonly ok: boolean;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly failed: number;
}

/**
 * `sync`: validates the whole desired set first (nothing is written when a plugin is invalid), then
 * deletes this stack's plugins that the code no longer declares, then writes the declared ones. A
 * plugin that fails is reported and the others go on; the result then says not ok, so Terraform
 * keeps the sync resource failed and the next apply runs it again.
 */
export async function syncAction(env: Env, context: ActionContext): Promise<SyncOutcome> {
  const started = Date.now();
  const { logger } = context;
  const input = readSyncInput(env);
  const { rulesFor, formatValidationIssues } = await import("./schema-adapter.js");
  const problems: string[] = [];
  const planned = input.plugins.map((plugin) => {
    const name = plugin.payload.name as string;
    if (plugin.facts) context.facts?.set(name, plugin.facts);
    logger.redactor.addPluginSecret(plugin.payload);
    const rules = rulesFor(name, plugin.custom ? undefined : plugin.facts, input.target);
    const issues: ValidationIssue[] = plugin.custom ? [] : rules.validate(plugin.payload);
    if (issues.length > 0) problems.push(formatValidationIssues(`${name} plugin at "${plugin.path}"`, issues));
    return { plugin, rules };
  });
  const target = resolveTarget(input.target ?? DEFAULT_TARGET);
  if (input.entities.length > 0) {
    for (const entity of input.entities) {
      const kind = ENTITY_KIND_BY_NAME.get(entity.kind)!;
      for (const { kongPath } of entitySecretPaths(kind, entity.facts, entity.payload, target.dataIndex)) logger.redactor.add(valueAt(entity.payload, kongPath));
      const issues = validateEntityBody(kind, entity.facts, entity.payload, target);
      if (issues.length > 0) problems.push(formatValidationIssues(`${kind.what} at "${entity.path}"`, issues));
    }
  }
  if (problems.length > 0) throw new KongConfigError(logger.redactor.redact(problems.join("\n")));

  const client = context.client(input.serverUrl);
  const workspaces = await workspacesOf(client, [...input.plugins, ...input.entities], input.target?.edition);
  // references by name become ids before anything is compared or written; a name Kong does not hold fails the sync here
  const naming = [
    ...input.plugins.map((plugin) => ({ subject: `${String(plugin.payload.name)} plugin at "${plugin.path}"`, workspace: plugin.workspace, payload: plugin.payload, foreign: SCOPE_KINDS })),
    ...input.entities.map((entity) => ({ subject: `${ENTITY_KIND_BY_NAME.get(entity.kind)!.what} at "${entity.path}"`, workspace: entity.workspace, payload: entity.payload, foreign: ENTITY_KIND_BY_NAME.get(entity.kind)!.foreign })),
  ];
  const owned = await ownedPlugins(client, input.owner, workspaces);
  const ownedOthers = await ownedEntities(client, input.owner, workspaces);
  const declaredEntities = new Set(input.entities.map((entity) => entityKey(entity.kind, unprefixed(entity.workspace), entity.id)));
  // what this apply deletes: a name must not stand for it
  const removedIds = new Set([...ownedOthers.entries()].filter(([key]) => !declaredEntities.has(key)).map(([, entity]) => entity.id.toLowerCase()));
  const unresolved = await resolveNames(client, naming, input.entities, removedIds);
  if (unresolved.length > 0) throw new KongConfigError(`nothing was written: ${unresolved.join("; ")}`);
  const liveOthers = input.entities.length > 0 || ownedOthers.size > 0 ? await liveEntities(client, input.owner, input.entities, ownedOthers) : new Map();
  const entityTally = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  const declared = new Set(input.plugins.map((plugin) => keyOf(plugin.workspace, plugin.id)));
  const tally = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  // what the per-resource layout wrote, from its reaper's list: tagged with a token of its own per plugin
  const previous = new Map(readReapInput(env).previous.filter((entry) => entry.owner).map((entry) => [keyOf(entry.workspace || undefined, entry.id), entry]));

  // first the deletions: Kong allows one plugin of a name per scope, and a renamed construct's new
  // plugin may take the scope of the one it replaces
  const removed = [
    ...[...owned.entries()]
      .filter(([key]) => !declared.has(key))
      .map(([, live]) => ({ target: { id: live.id, name: live.name, workspace: live.workspace, owner: input.owner }, known: { live: live.plugin } })),
    ...[...previous.entries()]
      .filter(([key]) => !declared.has(key) && !owned.has(key))
      .map(([, entry]) => ({ target: { id: entry.id, name: entry.name, workspace: entry.workspace || undefined, owner: entry.owner }, known: undefined })),
  ];
  await inParallel(removed, async ({ target, known }) => {
    const worker = client.fork();
    try {
      await deleteOne(worker, target, logger, Date.now(), known);
      tally.deleted++;
    } catch (error) {
      logger.error(error);
      tally.failed++;
    }
  });

  // then the entities the code no longer declares, children first (a cascade may have taken some);
  // one that a kept entity or plugin still refers to in Kong (a route moving to a new service) only
  // after the writes, so that Kong never refuses the deletion nor cascades it onto what moves away
  const removedEntities = [...ownedOthers.entries()].filter(([key]) => !declaredEntities.has(key)).map(([, owned]) => owned);
  const stillReferenced = new Set<string>();
  for (const live of [...liveOthers.values(), ...[...owned.values()].filter((p) => declared.has(keyOf(p.workspace, p.id))).map((p) => p.plugin)]) {
    for (const value of Object.values(live)) {
      const id = foreignId(value);
      if (id !== undefined) stillReferenced.add(id);
    }
  }
  const deferred = removedEntities.filter((entity) => stillReferenced.has(entity.id.toLowerCase()));
  const deleteEntities = async (entities: readonly OwnedEntity[]) => {
    const done = await deleteChildrenFirst(client, entities, logger, inParallel);
    entityTally.deleted += done.deleted;
    entityTally.failed += done.failed;
  };
  await deleteEntities(removedEntities.filter((entity) => !deferred.includes(entity)));
  // the declared entities, parents first: a route's service exists before the route is written; what
  // refers to an entity that could not be written is not tried (Kong would refuse it for the same reason)
  const notWritten = new Map<string, string>();
  const blockedBy = (ids: readonly string[]) => ids.map((id) => notWritten.get(id.toLowerCase())).find((path) => path !== undefined);
  for (const group of byRank(input.entities, (entity) => entity.kind)) {
    await inParallel(group, async (entity) => {
      const kind = ENTITY_KIND_BY_NAME.get(entity.kind)!;
      const blocker = blockedBy(referencedIds(kind, entity.payload));
      if (blocker !== undefined) {
        logger.warn(`${kind.what} ${entity.id} ("${entity.path}") not written: "${blocker}", which it refers to, was not written`);
        notWritten.set(entity.id.toLowerCase(), entity.path);
        entityTally.failed++;
        return;
      }
      try {
        const listed = liveOthers.get(entityKey(entity.kind, unprefixed(entity.workspace), entity.id));
        const outcome = await writeEntity(client.fork(), entity, input.owner, target, logger, Date.now(), listed);
        entityTally[outcome.result]++;
      } catch (error) {
        logger.error(error);
        notWritten.set(entity.id.toLowerCase(), entity.path);
        entityTally.failed++;
      }
    });
  }

  await inParallel(planned, async ({ plugin, rules }) => {
    const scopes = ["route", "service", "consumer", "consumer_group"].map((scope) => foreignId(plugin.payload[scope])).filter((id): id is string => id !== undefined);
    const blocker = blockedBy(scopes);
    if (blocker !== undefined) {
      logger.warn(`${String(plugin.payload.name)} plugin ${plugin.id} ("${plugin.path}") not written: "${blocker}", which it is scoped to, was not written`);
      tally.failed++;
      return;
    }
    const worker = client.fork();
    const live = owned.get(keyOf(plugin.workspace, plugin.id));
    const previousOwner = previous.get(keyOf(plugin.workspace, plugin.id))?.owner;
    try {
      const outcome: ApplyOutcome = await writePlugin(
        worker,
        {
          id: plugin.id,
          workspace: plugin.workspace,
          owner: input.owner,
          adopt: plugin.adopt,
          path: plugin.path,
          payload: plugin.payload,
          ...(previousOwner ? { previousOwner } : {}),
        },
        rules,
        logger,
        Date.now(),
        live ? { live: live.plugin } : undefined,
      );
      tally[outcome.result]++;
    } catch (error) {
      logger.error(error);
      tally.failed++;
    }
  });

  await deleteEntities(deferred);

  const ok = tally.failed === 0 && entityTally.failed === 0;
  if (input.entities.length > 0 || entityTally.deleted > 0 || entityTally.failed > 0) {
    logger.info(
      `sync: ${input.entities.length} entities declared: ${entityTally.created} created, ${entityTally.updated} updated, ${entityTally.unchanged} unchanged, ${entityTally.deleted} deleted${entityTally.failed === 0 ? "" : `, ${entityTally.failed} failed`}`,
    );
  }
  logger.info(
    `sync: ${input.plugins.length} plugins declared: ${tally.created} created, ${tally.updated} updated, ${tally.unchanged} unchanged, ${tally.deleted} deleted${tally.failed === 0 ? "" : `, ${tally.failed} failed`} (${Date.now() - started} ms)`,
  );
  return { ok, ...tally };
}

/** `teardown`: deletes every plugin that carries the stack's owner tag, in the workspaces it used. */
export async function teardownAction(env: Env, context: ActionContext): Promise<boolean> {
  const started = Date.now();
  const { logger } = context;
  const input = readTeardownInput(env);
  const client = context.client(input.serverUrl);
  const owned = await ownedPlugins(client, input.owner, input.workspaces);
  let failed = 0;
  await inParallel([...owned.values()], async (live) => {
    try {
      await deleteOne(client.fork(), { id: live.id, name: live.name, workspace: live.workspace, owner: input.owner }, logger, Date.now(), { live: live.plugin });
    } catch (error) {
      logger.error(error);
      failed++;
    }
  });
  logger.info(`teardown: ${owned.size - failed} of this stack's plugins deleted${failed > 0 ? `, ${failed} failed` : ""} (${Date.now() - started} ms)`);
  // then the entities, children first; a cascade may have taken some already
  let entitiesFailed = 0;
  try {
    const ownedMap = await ownedEntities(client, input.owner, input.workspaces);
    if ([...ownedMap.values()].some((entity) => entity.kind.nestedOnly)) await liveEntities(client, input.owner, [], ownedMap);
    const entities = [...ownedMap.values()];
    entitiesFailed += (await deleteChildrenFirst(client, entities, logger, inParallel)).failed;
    if (entities.length > 0) logger.info(`teardown: ${entities.length - entitiesFailed} of this stack's entities deleted${entitiesFailed > 0 ? `, ${entitiesFailed} failed` : ""}`);
  } catch (error) {
    logger.error(error);
    entitiesFailed++;
  }
  return failed === 0 && entitiesFailed === 0;
}

interface OwnedPlugin {
  readonly id: string;
  readonly name: string;
  readonly workspace: string | undefined;
  readonly plugin: KongPlugin;
}

/** The plugins that carry the owner tag, by workspace and id (one listing per workspace, 1,000 a page). */
async function ownedPlugins(client: KongAdminClient, owner: string, workspaces: ReadonlyArray<string | undefined>): Promise<Map<string, OwnedPlugin>> {
  const owned = new Map<string, OwnedPlugin>();
  for (const workspace of workspaces) {
    for await (const plugin of client.listPlugins(workspace, { tags: [ownerTag(owner)], size: 1000 })) {
      owned.set(keyOf(workspace, plugin.id), { id: plugin.id, name: String(plugin.name), workspace, plugin });
    }
  }
  return owned;
}

/**
 * The workspaces to look for this stack's plugins in: those the code declares, and on Kong
 * Enterprise every workspace the token may list (a workspace the code no longer uses may still hold
 * plugins the previous apply wrote). The default workspace is always looked in.
 */
async function workspacesOf(client: KongAdminClient, plugins: ReadonlyArray<Pick<DesiredPlugin, "workspace">>, edition: string | undefined): Promise<Array<string | undefined>> {
  const declared = new Set<string>(["", ...plugins.map((plugin) => unprefixed(plugin.workspace) ?? "")]);
  if (edition !== "oss") {
    const listed = await client.workspaceNames();
    for (const name of listed ?? []) declared.add(unprefixed(name) ?? "");
  }
  // the default workspace ("") first, then by name
  return [...declared].sort().map((name) => name || undefined);
}

/** `default` is the workspace of unprefixed paths: one workspace either way. */
const unprefixed = (workspace: string | undefined) => (workspace === "default" ? undefined : workspace);
const keyOf = (workspace: string | undefined, id: string) => `${unprefixed(workspace) ?? ""} ${id.toLowerCase()}`;

/** Runs `work` on every item, {@link SYNC_CONCURRENCY} at a time, in order of start. */
async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, items.length) }, worker));
}
