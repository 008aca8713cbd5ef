/**
 * The three actions of the apply-time program: `apply` writes the desired plugin, `delete` removes
 * it, `reap` removes the plugins a stack no longer declares.
 */
import type { KongAdminClient, KongPlugin } from "./client.js";
import { KongConfigError, KongResponseError } from "./errors.js";
import { readApplyRequest, readDeleteTarget, readReapInput, resolveRefs, type Env } from "./input.js";
import { formatApplied, formatDeleted, formatWorkspace, type ApplyResult, type Logger } from "./log.js";

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
  /** the plugin as Kong stored it */
  readonly plugin: KongPlugin;
  /** names of the fields that changed (config fields without the `config.` prefix) */
  readonly changed: readonly string[];
}

/**
 * `apply`: resolves references, validates again, reads the live plugin, carries over what Kong would
 * regenerate, and writes the whole desired plugin with one idempotent PUT.
 */
export async function applyAction(env: Env, context: ActionContext): Promise<ApplyOutcome> {
  const started = Date.now();
  const { logger } = context;
  const request = readApplyRequest(env);
  const payload = resolveRefs(request.payload, env);
  logger.redactor.addPluginSecret(payload);

  const { validateKongPayload, formatValidationIssues } = await import("./schema-adapter.js");
  const issues = validateKongPayload(payload);
  if (issues.length > 0) {
    const subject = request.path ? `session plugin at "${request.path}"` : `session plugin ${request.pluginId}`;
    throw new KongConfigError(logger.redactor.redact(formatValidationIssues(subject, issues)));
  }

  const client = context.client(request.serverUrl);
  const workspace = request.workspace || undefined;
  const live = await client.getPlugin(workspace, request.pluginId);
  if (live && live.name !== "session") {
    throw new KongResponseError(
      `plugin ${request.pluginId} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin, not a session plugin: refusing to overwrite it`,
      { status: 200, method: "GET", url: client.pluginUrl(workspace, request.pluginId) },
    );
  }

  const body = withCarryOver(payload, live);
  const stored = await client.putPlugin(workspace, request.pluginId, body);
  if (stored.id.toLowerCase() !== request.pluginId.toLowerCase() || stored.name !== "session") {
    throw new KongResponseError(
      `invalid answer to PUT: Kong returned plugin ${stored.id} named ${JSON.stringify(stored.name)} instead of session plugin ${request.pluginId}`,
      { status: 200, method: "PUT", url: client.pluginUrl(workspace, request.pluginId) },
    );
  }

  const changed = live ? changedFields(live, stored) : [];
  const result: ApplyResult = !live ? "created" : changed.length > 0 ? "updated" : "unchanged";
  logger.info(formatApplied(result, request.pluginId, workspace, changed, Date.now() - started));
  return { result, plugin: stored, changed };
}

/** `delete`: removes the plugin; a missing one counts as deleted. */
export async function deleteAction(env: Env, context: ActionContext): Promise<void> {
  const started = Date.now();
  const target = readDeleteTarget(env);
  await deleteOne(context.client(target.serverUrl), target.id, target.workspace, context.logger, started);
}

/**
 * `reap`: deletes every plugin of the previous list whose id the stack no longer declares. Every
 * plugin is tried; a failure is printed and makes the result false.
 */
export async function reapAction(env: Env, context: ActionContext): Promise<boolean> {
  const { previous, current } = readReapInput(env);
  const keep = new Set(current.map((id) => id.toLowerCase()));
  const seen = new Set<string>();
  const removed = previous.filter((entry) => {
    const key = `${entry.serverUrl} ${entry.workspace} ${entry.id.toLowerCase()}`;
    if (keep.has(entry.id.toLowerCase()) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (removed.length === 0) {
    context.logger.info("no removed session plugins to delete");
    return true;
  }
  // One client per server, made now: the deadline bounds the whole action.
  const clients = new Map(removed.map((entry) => [entry.serverUrl, context.client(entry.serverUrl)] as const));
  let ok = true;
  for (const entry of removed) {
    try {
      await deleteOne(clients.get(entry.serverUrl)!, entry.id, entry.workspace || undefined, context.logger, Date.now());
    } catch (error) {
      context.logger.error(error);
      ok = false;
    }
  }
  return ok;
}

/**
 * Deletes one session plugin. It reads the plugin first: to say "already absent", and to leave
 * alone a plugin of another kind that holds the id.
 */
async function deleteOne(
  client: KongAdminClient,
  id: string,
  workspace: string | undefined,
  logger: Logger,
  started: number,
): Promise<void> {
  const live = await client.getPlugin(workspace, id);
  if (live && live.name !== "session") {
    logger.warn(`plugin ${id} ${formatWorkspace(workspace)} is a ${JSON.stringify(live.name)} plugin, not a session plugin: left alone`);
    logger.info(formatDeleted(false, id, workspace, Date.now() - started));
    return;
  }
  const deleted = live ? await client.deletePlugin(workspace, id) : false;
  logger.info(formatDeleted(deleted, id, workspace, Date.now() - started));
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
