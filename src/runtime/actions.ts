/**
 * The three actions of the apply-time program: `apply` writes the desired plugin, `delete` removes
 * it, `reap` removes the plugins a stack no longer declares. None of them overwrites or deletes a
 * plugin another stack owns (see `ownership.ts`).
 */
import type { PluginFacts } from "../schema/facts.js";
import { generatedFieldsOf } from "../schema/kong-generated.js";
import type { KongAdminClient, KongPlugin } from "./client.js";
import { ENV } from "./contract.js";
import { KongConfigError, KongOwnershipError, KongRequestError, KongResponseError } from "./errors.js";
import { readApplyRequest, readDeleteTarget, readFactsFile, readReapInput, type Env, type PreviousPlugin } from "./input.js";
import { formatApplied, formatDeleted, formatWorkspace, type ApplyResult, type Logger } from "./log.js";
import { ownerTag, ownershipOf, withOwnerTag } from "./ownership.js";
import type { PluginRules } from "./schema-adapter.js";

/** What an action needs besides the environment. */
export interface ActionContext {
  readonly logger: Logger;
  /** the client of a server URL (one per server for the whole action) */
  readonly client: (serverUrl: string) => KongAdminClient;
  /** the tables of facts read, by plugin name (the redactor reads them to find secrets) */
  readonly facts?: Map<string, PluginFacts>;
}

/** Fields Kong sets on every write; never reported as changed. */
const TIMESTAMPS = new Set(["created_at", "updated_at"]);

/** What `apply` did. */
export interface ApplyOutcome {
  readonly result: ApplyResult;
  /** the plugin as Kong stored it (the live one when nothing was written) */
  readonly plugin: KongPlugin;
  /** names of the fields that changed (config fields without the `config.` prefix) */
  readonly changed: readonly string[];
}

/**
 * `apply`: resolves references, validates again, reads the live plugin, checks that it is this
 * stack's to write, carries over what Kong would regenerate, and writes the whole desired plugin
 * with one idempotent PUT, or nothing when Kong already holds it.
 */
export async function applyAction(env: Env, context: ActionContext): Promise<ApplyOutcome> {
  const started = Date.now();
  const { logger } = context;
  const request = readApplyRequest(env);
  const payload = request.payload;
  const name = payload.name as string;
  const facts = readFactsFile(env, name);
  if (!facts && !request.custom && name !== "session") {
    throw new KongRequestError(`missing environment variable ${ENV.facts}: the ${name} plugin's table of facts, which the synthesized stack gives this program; synthesize the stack again`);
  }
  if (facts) context.facts?.set(name, facts);
  logger.redactor.addPluginSecret(payload);

  const { rulesFor, formatValidationIssues } = await import("./schema-adapter.js");
  const rules = rulesFor(name, facts, request.target);
  const issues = rules.validate(payload);
  if (issues.length > 0) {
    const subject = request.path ? `${name} plugin at "${request.path}"` : `${name} plugin ${request.pluginId}`;
    throw new KongConfigError(logger.redactor.redact(formatValidationIssues(subject, issues)));
  }

  const client = context.client(request.serverUrl);
  return writePlugin(client, { id: request.pluginId, workspace: request.workspace || undefined, owner: request.owner, adopt: request.adopt === true, path: request.path, payload }, rules, logger, started);
}

/** One plugin to write, its payload checked already. */
export interface PluginToWrite {
  readonly id: string;
  readonly workspace: string | undefined;
  readonly owner: string;
  readonly adopt: boolean;
  readonly path: string | undefined;
  readonly payload: Record<string, unknown>;
  /**
   * The owner token this stack wrote the plugin with before (the per-resource layout's, read from its
   * reaper's list): a plugin tagged so is this stack's, and is tagged anew.
   * @default - none
   */
  readonly previousOwner?: string;
}

/**
 * Reads the live plugin (unless given: `sync` lists this stack's plugins first), checks that it is
 * this stack's to write, carries over what Kong would regenerate, and writes the whole desired plugin
 * with one idempotent PUT, or nothing when Kong already holds it.
 */
export async function writePlugin(
  client: KongAdminClient,
  plugin: PluginToWrite,
  rules: Pick<PluginRules, "storesSame" | "propPathOf">,
  logger: Logger,
  started: number,
  known?: { readonly live: KongPlugin },
): Promise<ApplyOutcome> {
  const { id, workspace, payload } = plugin;
  const name = payload.name as string;
  const url = client.pluginUrl(workspace, id);
  const live = known ? known.live : await client.getPlugin(workspace, id);
  if (live) {
    checkAnswerId(live, id, "GET", url);
    let ownership = ownershipOf(live.tags, plugin.owner);
    if (ownership.kind === "other" && plugin.previousOwner && ownership.tag === ownerTag(plugin.previousOwner)) {
      logger.info(`plugin ${id} ${formatWorkspace(workspace)} was written by this stack's per-resource layout: it takes the stack's owner tag`);
      ownership = { kind: "mine" };
    }
    if (live.name !== name && ownership.kind !== "mine") {
      throw new KongOwnershipError(
        `plugin ${id} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin this stack did not create, not a ${name} plugin: refusing to overwrite it (give the construct another id, or delete that plugin)`,
        ownership.kind === "other" ? ownership.tag : "",
      );
    }
    if (ownership.kind === "other") {
      if (!plugin.adopt) throw ownershipConflict(id, workspace, ownership.tag, plugin.owner, plugin.path, "overwrite");
      logger.warn(
        `adopting plugin ${id} ${formatWorkspace(workspace)}: it was managed by another stack (tag ${ownership.tag}); this stack's id prop names it, so it takes it over`,
      );
    }
    if (live.name !== name) {
      // this stack's plugin, whose construct now declares another plugin name
      logger.warn(`plugin ${id} ${formatWorkspace(workspace)} was a ${JSON.stringify(live.name)} plugin of this stack: it becomes a ${name} plugin`);
    }
  }

  const body = withCarryOver({ ...payload, tags: withOwnerTag(payload.tags, plugin.owner) }, live);
  if (live && rules.storesSame(body, live)) {
    // sync says how many it left as they were; a line each would bury what changed
    if (known) logger.debug(formatApplied("unchanged", name, id, workspace, [], Date.now() - started));
    else logger.info(formatApplied("unchanged", name, id, workspace, [], Date.now() - started));
    return { result: "unchanged", plugin: live, changed: [] };
  }
  const stored = await client.putPlugin(workspace, id, body, { name, propPathOf: rules.propPathOf });
  checkAnswerId(stored, id, "PUT", url);
  if (stored.name !== name) {
    throw new KongResponseError(
      `invalid answer to PUT: Kong returned plugin ${stored.id} named ${JSON.stringify(stored.name)} instead of ${name} plugin ${id}`,
      { status: 200, method: "PUT", url },
    );
  }

  const changed = live ? changedFields(live, stored) : [];
  const result: ApplyResult = !live ? "created" : changed.length > 0 ? "updated" : "unchanged";
  logger.info(formatApplied(result, name, id, workspace, changed, Date.now() - started));
  return { result, plugin: stored, changed };
}

/** `delete`: removes the plugin, if this stack owns it; a missing one counts as deleted. */
export async function deleteAction(env: Env, context: ActionContext): Promise<void> {
  const started = Date.now();
  const target = readDeleteTarget(env);
  await deleteOne(context.client(target.serverUrl), target, context.logger, started);
}

/**
 * `reap`: deletes every plugin of the previous list that the stack no longer declares: no construct
 * declares its id in its workspace any more (it was removed from the code, or its id or workspace
 * changed). Where the code gives the id or workspace by reference, unknown here, the construct at
 * the same path keeps its previous plugin: nothing is deleted on a guess. Every plugin is tried,
 * each within its own deadline; a failure is printed and makes the result false.
 */
export async function reapAction(env: Env, context: ActionContext): Promise<boolean> {
  const { previous, current, serverUrl, legacyServerUrls } = readReapInput(env);
  const declared = new Set<string>();
  const knownId = new Set<string>();
  const unknownAt = new Set<string>();
  for (const [path, id, workspace] of current) {
    if (id === null) unknownAt.add(path);
    else if (workspace === null) knownId.add(id.toLowerCase());
    else declared.add(`${workspace} ${id.toLowerCase()}`);
  }
  const seen = new Set<string>();
  const removed = previous.filter((entry) => {
    const key = `${entry.workspace} ${entry.id.toLowerCase()}`;
    const kept =
      declared.has(key) ||
      knownId.has(entry.id.toLowerCase()) ||
      (entry.path === undefined ? unknownAt.size > 0 : unknownAt.has(entry.path));
    if (kept || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (removed.length === 0) {
    context.logger.info("no removed plugins to delete");
    return true;
  }
  let ok = true;
  for (const entry of removed) {
    try {
      const url = serverUrl ?? legacyServerUrls.get(entry.id.toLowerCase());
      if (url === undefined) throw new KongConfigError(`no server URL for the removed plugin ${entry.id}`);
      const client = context.client(url);
      client.restartDeadline();
      await deleteOne(client, targetOf(entry, url), context.logger, Date.now());
    } catch (error) {
      context.logger.error(error);
      ok = false;
    }
  }
  return ok;
}

function targetOf(entry: PreviousPlugin, serverUrl: string) {
  return { id: entry.id, name: entry.name, workspace: entry.workspace || undefined, serverUrl, owner: entry.owner };
}

/**
 * Deletes one plugin. It reads the plugin first (unless just listed): to say "already absent", and to
 * leave alone one that another stack owns, or one without an owner tag that is of another kind.
 */
export async function deleteOne(
  client: KongAdminClient,
  target: { readonly id: string; readonly name: string; readonly workspace: string | undefined; readonly owner: string | undefined },
  logger: Logger,
  started: number,
  known?: { readonly live: KongPlugin },
): Promise<void> {
  const { id, name, workspace } = target;
  const url = client.pluginUrl(workspace, id);
  // `sync` and `teardown` have just listed it with the stack's owner tag
  const live = known ? known.live : await client.getPlugin(workspace, id);
  if (live) {
    checkAnswerId(live, id, "GET", url);
    // a plugin of 0.1 (no owner token) is this stack's only while it has no owner tag
    const ownership = ownershipOf(live.tags, target.owner ?? "");
    if (ownership.kind === "other") {
      logger.warn(
        `plugin ${id} ${formatWorkspace(workspace)} is managed by another stack (tag ${ownership.tag}${target.owner ? `, this stack's is ${ownerTag(target.owner)}` : ""}): left alone`,
      );
      logger.info(`${live.name} plugin ${id} left alone ${formatWorkspace(workspace)}: it belongs to another stack`);
      return;
    }
    // this stack's tag says it is this stack's plugin, whatever its name; without one, the name must match
    if (ownership.kind === "unowned" && live.name !== name) {
      logger.warn(`plugin ${id} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin, not a ${name} plugin: left alone`);
      logger.info(`${name} plugin ${id} left alone ${formatWorkspace(workspace)}: a ${JSON.stringify(live.name)} plugin this stack did not create holds its id`);
      return;
    }
  }
  const deleted = live ? await client.deletePlugin(workspace, id) : false;
  logger.info(formatDeleted(deleted, live?.name ?? name, id, workspace, Date.now() - started));
}

/** Kong answered with another plugin than the one asked for: nothing of it may be carried over. */
function checkAnswerId(plugin: KongPlugin, id: string, method: string, url: string): void {
  if (plugin.id.toLowerCase() !== id.toLowerCase()) {
    throw new KongResponseError(`invalid answer to ${method} ${url}: Kong returned plugin ${plugin.id} instead of plugin ${id}`, {
      status: 200,
      method,
      url,
    });
  }
}

function ownershipConflict(
  id: string,
  workspace: string | undefined,
  tag: string,
  owner: string,
  path: string | undefined,
  verb: string,
): KongOwnershipError {
  const construct = path ? ` ("${path}")` : "";
  return new KongOwnershipError(
    `plugin ${id} ${formatWorkspace(workspace)} is managed by another stack (tag ${tag}; this stack's is ${ownerTag(owner)}): refusing to ${verb} it. ` +
      `Two apps whose stacks and constructs have the same names${construct} derive the same plugin id: set idNamespace on this app's KongGatewayProvider. ` +
      "To take the plugin over on purpose, set the construct's id prop to the plugin's id",
    tag,
  );
}

/**
 * The body to PUT: the desired plugin plus what Kong would otherwise regenerate (see
 * `kong-generated.ts`): each generated config field the configuration leaves unset keeps its live
 * value (a new session secret would end every user's session, a new `provision_key` invalidate
 * every client); and the live `created_at` unless set. Nothing is carried over from a plugin of
 * another name.
 */
export function withCarryOver(desired: Readonly<Record<string, unknown>>, live: KongPlugin | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { ...desired };
  if (!live) return body;
  if (live.name === desired.name && typeof desired.name === "string") {
    for (const path of generatedFieldsOf(desired.name)) {
      const value = valueAt(live, path);
      if (valueAt(body, path) === undefined && value !== undefined && value !== null) setAt(body, path, value);
    }
  }
  if (desired.created_at === undefined && typeof live.created_at === "number") {
    body.created_at = live.created_at;
  }
  return body;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets a value in a copy of each record on the way (the desired body's records are not changed). */
function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = isObject(node[key]) ? { ...(node[key] as Record<string, unknown>) } : {};
    node[key] = next;
    node = next;
  });
}

/**
 * Names of the fields that differ between two versions of a plugin, timestamps ignored: top-level
 * names, and config fields by their bare name (`cookie_name`).
 */
export function changedFields(before: KongPlugin, after: KongPlugin): string[] {
  const changed: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (TIMESTAMPS.has(key)) continue;
    const a = before[key];
    const b = after[key];
    if (key === "config" && isObject(a) && isObject(b)) {
      const configKeys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const field of [...configKeys].sort()) if (!sameValue(a[field], b[field])) changed.push(field);
    } else if (!sameValue(a, b)) {
      changed.push(key);
    }
  }
  return changed.sort();
}

/** Deep equality of JSON values; `undefined` and `null` are the same (Kong returns unset as null). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || ((a === undefined || a === null) && (b === undefined || b === null))) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
