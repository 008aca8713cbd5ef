/**
 * The three actions of the apply-time program: `apply` writes the desired plugin, `delete` removes
 * it, `reap` removes the plugins a stack no longer declares. None of them overwrites or deletes a
 * plugin another stack owns (see `ownership.ts`).
 */
import type { KongAdminClient, KongPlugin } from "./client.js";
import { KongConfigError, KongOwnershipError, KongResponseError } from "./errors.js";
import { readApplyRequest, readDeleteTarget, readReapInput, type Env, type PreviousPlugin } from "./input.js";
import { formatApplied, formatDeleted, formatWorkspace, type ApplyResult, type Logger } from "./log.js";
import { ownerTag, ownershipOf, withOwnerTag } from "./ownership.js";

/** What an action needs besides the environment. */
export interface ActionContext {
  readonly logger: Logger;
  /** the client of a server URL (one per server for the whole action) */
  readonly client: (serverUrl: string) => KongAdminClient;
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
  logger.redactor.addPluginSecret(payload);

  const { validateKongPayload, formatValidationIssues, storesSame } = await import("./schema-adapter.js");
  const issues = validateKongPayload(payload);
  if (issues.length > 0) {
    const subject = request.path ? `session plugin at "${request.path}"` : `session plugin ${request.pluginId}`;
    throw new KongConfigError(logger.redactor.redact(formatValidationIssues(subject, issues)));
  }

  const client = context.client(request.serverUrl);
  const workspace = request.workspace || undefined;
  const url = client.pluginUrl(workspace, request.pluginId);
  const live = await client.getPlugin(workspace, request.pluginId);
  if (live) {
    checkAnswerId(live, request.pluginId, "GET", url);
    if (live.name !== "session") {
      throw new KongResponseError(
        `plugin ${request.pluginId} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin, not a session plugin: refusing to overwrite it`,
        { status: 200, method: "GET", url },
      );
    }
    const ownership = ownershipOf(live.tags, request.owner);
    if (ownership.kind === "other") {
      if (!request.adopt) throw ownershipConflict(request.pluginId, workspace, ownership.tag, request.owner, request.path, "overwrite");
      logger.warn(
        `adopting plugin ${request.pluginId} ${formatWorkspace(workspace)}: it was managed by another stack (tag ${ownership.tag}); this stack's id prop names it, so it takes it over`,
      );
    }
  }

  const body = withCarryOver({ ...payload, tags: withOwnerTag(payload.tags, request.owner) }, live);
  if (live && storesSame(body, live)) {
    logger.info(formatApplied("unchanged", request.pluginId, workspace, [], Date.now() - started));
    return { result: "unchanged", plugin: live, changed: [] };
  }
  const stored = await client.putPlugin(workspace, request.pluginId, body);
  checkAnswerId(stored, request.pluginId, "PUT", url);
  if (stored.name !== "session") {
    throw new KongResponseError(
      `invalid answer to PUT: Kong returned plugin ${stored.id} named ${JSON.stringify(stored.name)} instead of session plugin ${request.pluginId}`,
      { status: 200, method: "PUT", url },
    );
  }

  const changed = live ? changedFields(live, stored) : [];
  const result: ApplyResult = !live ? "created" : changed.length > 0 ? "updated" : "unchanged";
  logger.info(formatApplied(result, request.pluginId, workspace, changed, Date.now() - started));
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
    context.logger.info("no removed session plugins to delete");
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
  return { id: entry.id, workspace: entry.workspace || undefined, serverUrl, owner: entry.owner };
}

/**
 * Deletes one session plugin. It reads the plugin first: to say "already absent", and to leave alone
 * a plugin of another kind, or one that another stack owns.
 */
async function deleteOne(
  client: KongAdminClient,
  target: { readonly id: string; readonly workspace: string | undefined; readonly owner: string | undefined },
  logger: Logger,
  started: number,
): Promise<void> {
  const { id, workspace } = target;
  const url = client.pluginUrl(workspace, id);
  const live = await client.getPlugin(workspace, id);
  if (live) checkAnswerId(live, id, "GET", url);
  if (live && live.name !== "session") {
    logger.warn(`plugin ${id} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin, not a session plugin: left alone`);
    logger.info(formatDeleted(false, id, workspace, Date.now() - started));
    return;
  }
  if (live) {
    const ownership = ownershipOf(live.tags, target.owner ?? "");
    // a plugin of 0.1 (no owner token) is this stack's only while it has no owner tag
    if (ownership.kind === "other") {
      logger.warn(
        `plugin ${id} ${formatWorkspace(workspace)} is managed by another stack (tag ${ownership.tag}${target.owner ? `, this stack's is ${ownerTag(target.owner)}` : ""}): left alone`,
      );
      logger.info(`session plugin ${id} left alone ${formatWorkspace(workspace)}: it belongs to another stack`);
      return;
    }
  }
  const deleted = live ? await client.deletePlugin(workspace, id) : false;
  logger.info(formatDeleted(deleted, id, workspace, Date.now() - started));
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
 * The body to PUT: the desired plugin plus what Kong would otherwise regenerate: the live
 * `config.secret` when none is configured (a new one would end every user's session), and the live
 * `created_at` unless set.
 */
export function withCarryOver(desired: Readonly<Record<string, unknown>>, live: KongPlugin | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { ...desired };
  if (!live) return body;
  const config = isObject(desired.config) ? desired.config : undefined;
  const liveSecret = isObject(live.config) ? live.config.secret : undefined;
  if (config?.secret === undefined && typeof liveSecret === "string") {
    body.config = { ...config, secret: liveSecret };
  }
  if (desired.created_at === undefined && typeof live.created_at === "number") {
    body.created_at = live.created_at;
  }
  return body;
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
