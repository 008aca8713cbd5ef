/**
 * `kong-gateway-cdktf diff`: compares the plugins of a synthesized app (any kind) with the live ones
 * (the core entities in `diff-entities.ts`, printed first, and listed under `entities` in the JSON):
 * the session plugin by its hand-verified table, any other by its facts at the stack's Kong version
 * and edition (`compare-facts.ts`: "unchanged" is the apply-time program's own rule).
 *
 * For each plugin it reports one status:
 *   `+ create`                     not in Kong, and never applied (or no state to tell)
 *   `~ update`                     in Kong, differs from the code, and the last apply is not the cause
 *   `= unchanged`                  in Kong as the code says
 *   `! missing in Kong`            the last apply wrote it (state), and it is gone
 *   `! changed outside Terraform`  it differs from what the last apply wrote (state)
 * Field changes read `live → desired`: what applying the stack does.
 *
 * Exit codes follow `terraform plan -detailed-exitcode`: 0 nothing differs, 2 something does, 1 error.
 *
 * `--json` prints one JSON document on stdout (format version 1; later versions only add fields).
 * On an error nothing is printed on stdout: the message goes to stderr and the exit code is 1.
 *
 *   {
 *     "version": 1,
 *     "stacks": [{
 *       "name": "payments",
 *       "dir": "cdktf.out/stacks/payments",        // relative to the working directory when inside it
 *       "state": "/abs/path/terraform.tfstate" | null  // the state read; null: none, statuses fall back
 *     }],
 *     "plugins": [{                                // sorted by construct path within each stack
 *       "stack": "payments",
 *       "path": "payments/session" | null,         // construct path
 *       "name": "session",                         // Kong's name of the plugin
 *       "address": "terraform_data.session_config_9F4B457A",   // the config resource
 *       "id": "eae0ff3b-6ee1-5b80-bd04-bff285ff506c",
 *       "workspace": "team-payments" | null,       // null: unprefixed paths (default workspace)
 *       "serverUrl": "http://localhost:8001",      // where the live plugin was read
 *       "status": "create" | "update" | "unchanged" | "missing" | "drifted",
 *       "changes": [{ "field": "config.cookie_name", "desired": "sid", "live": "session" }],
 *                                                  // Kong names; null for none; "<redacted>" for
 *                                                  // both values of a secret
 *       "knownAfterApply": ["route.id"],           // desired values known only at apply, not compared
 *       "repair": "terraform apply -replace=terraform_data.session_config_9F4B457A" | null,
 *                                                  // for missing/drifted; null when the next apply
 *                                                  // rewrites the plugin anyway (the code changed)
 *       "note": "…" | null                         // e.g. the live plugin is another kind
 *     }],
 *     "skipped": [{ "stack": "payments", "address": "…", "reason": "the plugin id is known only at apply" }],
 *     "summary": { "create": 0, "update": 1, "unchanged": 2, "missing": 0, "drifted": 0, "skipped": 0 },
 *     "entities": [{ "stack", "path" (null for "delete"), "kind": "services", "id", "workspace", "serverUrl",
 *                    "status": "create" | "update" | "unchanged" | "missing" | "drifted" | "delete",
 *                    "changes", "knownAfterApply", "repair", "note" }],
 *     "entitySummary": { "create": 0, "update": 0, "unchanged": 5, "missing": 0, "drifted": 0, "delete": 0 }
 *   }
 *
 * Skipped plugins (identity known only at apply) do not change the exit code.
 */
import * as path from "node:path";
import type { KongAdminClient, KongPlugin } from "../runtime/client.js";
import { resolveNames } from "../runtime/sync-entities.js";
import { SCOPE_KINDS } from "../schema/references.js";
import type { ConnectionOptions } from "../runtime/contract.js";
import { formatWorkspace } from "../runtime/log.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { ownershipOf } from "../runtime/ownership.js";
import { comparePlugin, type FieldChange } from "./compare.js";
import { comparePluginByFacts, resolveStackTarget } from "./compare-facts.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, ClientFactory, readConnectionFlags, type CliConnection } from "./connection.js";
import { CliUsageError, EXIT, Output, type CliEnv, type CliIo } from "./io.js";
import { parseFlags } from "./parse.js";
import { readStackState, resolveFromState, stateLocation, type StackState } from "./state.js";
import { withAppliedSecret, withoutPlaceholders } from "./applied.js";
import { desiredEntities, desiredPlugins, readSynthOutput, type DesiredEntity, type DesiredPlugin } from "./stacks.js";
import { diffEntity, removedEntities, type EntityDiff, type EntityDiffContext } from "./diff-entities.js";

export const DIFF_HELP = `usage: kong-gateway-cdktf diff [--out DIR] [--stack NAME]... [--state FILE] [--json] [options]

Compares the plugins and core entities (services, routes, consumers, credentials, …) of a
synthesized cdktf app (run cdktf synth first) with the live ones in Kong, field by field, with
Kong's defaults (at the stack's Kong version and edition) filled in for unset fields:
  + create                     not in Kong
  ~ update                     the code differs from Kong (not applied yet)
  = unchanged                  Kong holds what the code says
  ! missing in Kong            the last apply wrote it, and it was deleted
  ! changed outside Terraform  Kong differs from what the last apply wrote
  - delete                     an entity in Kong with the stack's owner tag that the code no longer
                               declares: the next apply deletes it (needs the state)
Changes read live → desired (what applying does). Secrets are compared only when the code sets a
literal value, and show as (changed); values known only at apply show as (known after apply). A
custom plugin's config (no facts, so no known defaults) is compared only in the fields the code sets.

Telling "missing" and "changed outside Terraform" apart from "create" and "update" needs the
stack's local Terraform state: terraform.tfstate in the stack directory, the local backend's path,
or --state FILE. Each plugin is read from the server URL its stack was synthesized with.

options:
  --out DIR               the synth output directory (default: cdktf.out)
  --stack NAME            only this stack (repeatable; default: every stack)
  --state FILE            the Terraform state file of the stack (needs one stack)
  --json                  machine-readable output (format version 1, see the README)
  -h, --help              this help

${CONNECTION_HELP}
  (--server-url overrides the server URL of every plugin; KONG_ADMIN_URL only serves plugins whose
  server URL is a reference known only at apply)

exit codes: 0 nothing differs, 2 something differs, 1 error (as terraform plan -detailed-exitcode)`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  out: { type: "string" },
  stack: { type: "string", multiple: true },
  state: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** A plugin's status. */
export type DiffStatus = "create" | "update" | "unchanged" | "missing" | "drifted";

/** One plugin's outcome, as `--json` prints it. */
export interface PluginDiff {
  readonly stack: string;
  readonly path: string | null;
  /** Kong's name of the plugin */
  readonly name: string;
  readonly address: string;
  readonly id: string;
  readonly workspace: string | null;
  readonly serverUrl: string;
  readonly status: DiffStatus;
  readonly changes: readonly FieldChange[];
  readonly knownAfterApply: readonly string[];
  readonly repair: string | null;
  readonly note: string | null;
}

/** Reads of the Admin API in flight at once. */
const CONCURRENCY = 8;

/** The diff command. */
export async function diffCommand(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const out = new Output(io);
  const clients = new ClientFactory(env, io, out);
  try {
    const { values } = parseFlags("diff", argv, OPTIONS, false);
    if (values.help) {
      out.result(`${DIFF_HELP}\n`);
      return EXIT.ok;
    }
    const cwd = io.cwd ?? process.cwd();
    const connection = readConnectionFlags(values, env, cwd);
    const outDir = path.resolve(cwd, values.out ?? "cdktf.out");
    const stacks = readSynthOutput(outDir, values.stack ?? []);
    if (values.state !== undefined && stacks.length > 1) {
      throw new CliUsageError(`--state is the state of one stack, but ${outDir} has ${stacks.length}: add --stack NAME`);
    }

    const targets: Array<{ desired: DesiredPlugin; state: StackState | undefined }> = [];
    const entityTargets: Array<{ desired: DesiredEntity; state: StackState | undefined }> = [];
    const owners: Array<{ stack: string; state: StackState; entities: DesiredEntity[]; plugins: DesiredPlugin[]; owners: string[] }> = [];
    const stackInfo: Array<{ name: string; dir: string; state: string | null }> = [];
    const stateless: string[] = [];
    const skipped: Array<{ stack: string; address: string; reason: string }> = [];
    for (const stack of stacks) {
      const { plugins, warnings } = desiredPlugins(stack);
      for (const warning of warnings) out.warn(warning);
      const location = stateLocation(stack, values.state, cwd);
      const state = location ? readStackState(location) : undefined;
      stackInfo.push({ name: stack.name, dir: relative(cwd, stack.dir), state: state ? state.file : null });
      if (!state && plugins.length > 0) {
        stateless.push(location ? `${stack.name} (no ${relative(cwd, location.file)})` : `${stack.name} (its backend is not local)`);
      }
      for (const desired of plugins) targets.push({ desired, state });
      const declared = desiredEntities(stack);
      for (const warning of declared.warnings) if (!warnings.includes(warning)) out.warn(warning);
      for (const desired of declared.entities) entityTargets.push({ desired, state });
      if (state) owners.push({ stack: stack.name, state, entities: declared.entities, plugins, owners: declared.owners });
    }
    if (stateless.length > 0) {
      out.progress(
        `note: no terraform state for ${stateless.join(", ")}: without it, changes made outside Terraform read as "~ update" and deleted plugins as "+ create"; pass --state FILE to tell them apart`,
      );
    }

    const declaredBy = new Map<string, DesiredEntity[]>();
    for (const { desired } of entityTargets) declaredBy.set(desired.stack, [...(declaredBy.get(desired.stack) ?? []), desired]);
    const jobs = targets.map((target) => async (): Promise<PluginDiff | undefined> => {
      const { desired } = target;
      const identity = identityOf(desired, connection);
      if (typeof identity === "string") {
        skipped.push({ stack: desired.stack, address: desired.address, reason: identity });
        out.warn(`${desired.path ?? desired.address}: skipped: ${identity}`);
        return undefined;
      }
      out.redactor.addPluginSecret(withoutPlaceholders(desired.payload));
      const client = clients.client(identity.serverUrl, mergeConnection(desired.connection, connection));
      await resolveNamesFor(client, `${desired.name} plugin at "${desired.path ?? desired.address}"`, desired, SCOPE_KINDS, declaredBy.get(desired.stack) ?? [], out);
      const live = await client.getPlugin(identity.workspace, identity.id);
      if (live) out.redactor.addPluginSecret(live);
      return diffOne(desired, identity, live, target.state, out);
    });
    const outcomes = (await runLimited(jobs, CONCURRENCY)).filter((d): d is PluginDiff => d !== undefined);

    // the entities, declared and (with the state's owner token) left in Kong
    const entityContext: EntityDiffContext = {
      resolveNames: (client, desired, kind) => resolveNamesFor(client, `${kind.what} at "${desired.path}"`, desired, kind.foreign, declaredBy.get(desired.stack) ?? [], out),
      client: (serverUrl: string, settings: ConnectionOptions) => clients.client(serverUrl, mergeConnection(settings, connection)),
      serverUrlOf: (value: unknown) => connection.serverUrlFlag ?? (typeof value === "string" ? value : connection.serverUrl),
      addSecret: (value: unknown) => out.redactor.add(value),
    };
    const entityJobs = entityTargets.map(({ desired, state }) => async (): Promise<EntityDiff | undefined> => {
      const outcome = await diffEntity(desired, state, entityContext);
      if ("skipped" in outcome) {
        skipped.push({ stack: desired.stack, address: desired.address, reason: outcome.skipped });
        out.warn(`${desired.path}: skipped: ${outcome.skipped}`);
        return undefined;
      }
      return outcome;
    });
    const entities = (await runLimited(entityJobs, CONCURRENCY)).filter((d): d is EntityDiff => d !== undefined);
    for (const owner of owners) {
      // one sync resource per provider; its owner resource's id is the token (a stack of several providers: each apart)
      for (const ownerAddress of owner.owners) {
        const token = owner.state.ids.get(ownerAddress);
        const mine = [...owner.entities.filter((e) => e.ownerAddress === ownerAddress)];
        const first = mine[0] ?? owner.plugins.find((p) => p.syncTrigger) ?? owner.plugins[0];
        const serverUrl = entityContext.serverUrlOf(first?.serverUrl);
        if (!first || !token || serverUrl === undefined) continue;
        const workspaces = [...new Set(["", ...[...mine, ...owner.plugins].map((e) => (typeof e.workspace === "string" ? e.workspace : ""))])].map((w) => w || undefined);
        entities.push(...(await removedEntities(owner.stack, mine, token, serverUrl, workspaces, entityContext.client(serverUrl, first.connection))));
      }
    }

    const summary = { create: 0, update: 0, unchanged: 0, missing: 0, drifted: 0, skipped: skipped.length };
    for (const outcome of outcomes) summary[outcome.status]++;
    const entitySummary = { create: 0, update: 0, unchanged: 0, missing: 0, drifted: 0, delete: 0 };
    for (const outcome of entities) entitySummary[outcome.status]++;
    const plain = <T extends { changes: readonly FieldChange[] }>(o: T) => ({ ...o, changes: o.changes.map(({ field, desired, live }) => ({ field, desired, live })) });
    if (values.json) {
      const document = { version: 1, stacks: stackInfo, plugins: outcomes.map(plain), skipped, summary, entities: entities.map(plain), entitySummary };
      out.result(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      out.result(formatText(outcomes, summary, stackInfo, entities, entitySummary));
    }
    const differs = outcomes.some((o) => o.status !== "unchanged") || entities.some((o) => o.status !== "unchanged");
    return differs ? EXIT.differences : EXIT.ok;
  } catch (error) {
    out.error(error);
    return EXIT.error;
  } finally {
    await clients.close();
  }
}

interface Identity {
  readonly id: string;
  readonly workspace: string | undefined;
  readonly serverUrl: string;
}

/** The plugin id, workspace and server URL, or why they cannot be known before apply. */
function identityOf(desired: DesiredPlugin, connection: CliConnection): Identity | string {
  if (typeof desired.pluginId !== "string") return "the plugin id is known only at apply";
  if (desired.workspace !== undefined && typeof desired.workspace !== "string") return "the workspace is known only at apply";
  const serverUrl = connection.serverUrlFlag ?? (typeof desired.serverUrl === "string" ? desired.serverUrl : connection.serverUrl);
  return { id: desired.pluginId, workspace: desired.workspace || undefined, serverUrl };
}

/**
 * The stack's connection settings, overridden by the flags given. The stack's deadline bounds one
 * apply-time action, not a whole diff: it is left out.
 */
function mergeConnection(stack: ConnectionOptions, connection: CliConnection): ConnectionOptions {
  const flags = connection.options;
  const { deadlineMs: _deadline, ...settings } = stack;
  return {
    ...settings,
    ...flags,
    ...(settings.headers || flags.headers ? { headers: { ...settings.headers, ...flags.headers } } : {}),
  };
}

function diffOne(
  desired: DesiredPlugin,
  identity: Identity,
  live: KongPlugin | undefined,
  state: StackState | undefined,
  out: Output,
): PluginDiff {
  const applied = state?.triggers.get(desired.address);
  const appliedRequest = applied ? parseApplied(applied) : undefined;
  const lastPayload = appliedRequest
    ? withAppliedSecret(resolveFromState(appliedRequest.payload, applied!) as Record<string, unknown>, applied!, desired, identity.id)
    : undefined;
  if (lastPayload) out.redactor.addPluginSecret(withoutPlaceholders(lastPayload));
  // the code changed since the last apply: the next apply rewrites the whole plugin anyway (with the
  // sync layout: the plugin's key of the sync resource's triggers changed)
  const pending = applied !== undefined && (desired.syncTrigger ? applied[desired.syncTrigger.key] !== desired.syncTrigger.value : applied.request !== desired.requestText);
  const repair = pending ? null : `terraform apply -replace=${desired.address}`;

  const base = {
    stack: desired.stack,
    path: desired.path ?? null,
    name: desired.name,
    address: desired.address,
    id: identity.id,
    workspace: identity.workspace ?? null,
    serverUrl: identity.serverUrl,
  };
  if (!live) {
    const missing = applied !== undefined;
    return {
      ...base,
      status: missing ? "missing" : "create",
      changes: [],
      knownAfterApply: [],
      repair: missing ? repair : null,
      note: missing && pending ? "the next terraform apply recreates it (the code changed since the last apply)" : null,
    };
  }
  const compare = (payload: Readonly<Record<string, unknown>>) =>
    desired.name === "session" ? comparePlugin(payload, live) : comparePluginByFacts(payload, live, resolveStackTarget(desired.target));
  const current = compare(desired.payload);
  const note = refusal(desired.name, live, appliedRequest ? resolveFromState(appliedRequest.owner, applied!) : undefined);
  // compared with what the last apply wrote (references resolved from the state): drift
  const sinceApply = lastPayload ? compare(lastPayload).changes : [];
  const drifted = sinceApply.length > 0;
  // a field known only at apply is not compared with the code, but its last applied value is
  const unknown = new Set(current.knownAfterApply);
  const changes = [...current.changes, ...sinceApply.filter((c) => unknown.has(c.field))];
  const knownAfterApply = current.knownAfterApply.filter((field) => !changes.some((c) => c.field === field));
  if (changes.length === 0 && !drifted) return { ...base, status: "unchanged", changes, knownAfterApply, repair: null, note };
  return {
    ...base,
    status: drifted ? "drifted" : "update",
    changes,
    knownAfterApply,
    repair: drifted ? repair : null,
    note: note ?? (drifted && pending ? "the next terraform apply rewrites it (the code changed since the last apply)" : null),
  };
}

function parseApplied(triggers: Readonly<Record<string, string>>): { payload: unknown; owner: unknown } | undefined {
  if (typeof triggers.request !== "string") return undefined;
  try {
    const request = JSON.parse(triggers.request) as { payload?: unknown; owner?: unknown };
    return request && typeof request === "object" && request.payload !== undefined ? { payload: request.payload, owner: request.owner } : undefined;
  } catch {
    return undefined;
  }
}

/** Why apply will refuse the live plugin, if it will: another kind, or another stack's. */
function refusal(name: string, live: KongPlugin, owner: unknown): string | null {
  const ownership = typeof owner === "string" ? ownershipOf(live.tags, owner) : undefined;
  if (live.name !== name && ownership?.kind !== "mine") {
    return `the live plugin is a ${JSON.stringify(live.name)} plugin, not a ${name} plugin: apply refuses to overwrite it`;
  }
  if (ownership === undefined) return null;
  return ownership.kind === "other"
    ? `another stack manages the live plugin (tag ${ownership.tag}): apply refuses to overwrite it unless the construct names its id`
    : null;
}

const ENTITY_SYMBOLS: Record<EntityDiff["status"], string> = {
  create: "+ create",
  update: "~ update",
  unchanged: "= unchanged",
  missing: "! missing in Kong",
  drifted: "! changed outside Terraform",
  delete: "- delete",
};

const SYMBOLS: Record<DiffStatus, string> = {
  create: "+ create",
  update: "~ update",
  unchanged: "= unchanged",
  missing: "! missing in Kong",
  drifted: "! changed outside Terraform",
};

/** The text report: a line per plugin, its changes indented, then the summary line. */
export function formatText(
  outcomes: readonly PluginDiff[],
  summary: Record<DiffStatus | "skipped", number>,
  stacks: ReadonlyArray<{ name: string; dir: string }>,
  entities: readonly EntityDiff[] = [],
  entitySummary?: Record<EntityDiff["status"], number>,
): string {
  const lines: string[] = [];
  for (const outcome of entities) {
    const what = ENTITY_KIND_BY_NAME.get(outcome.kind)?.what ?? outcome.kind;
    lines.push(`${ENTITY_SYMBOLS[outcome.status]} ${outcome.path ?? "(not in the code)"}: ${what} ${outcome.id} ${formatWorkspace(outcome.workspace ?? undefined)}`);
    for (const change of outcome.changes) lines.push(`    ${change.field}: ${change.secret ? "(changed)" : `${formatValue(change.live)} → ${formatValue(change.desired)}`}`);
    if (outcome.status !== "create" && outcome.status !== "missing") for (const field of outcome.knownAfterApply) lines.push(`    ${field}: (known after apply)`);
    if (outcome.note) lines.push(`    note: ${outcome.note}`);
    if (outcome.repair) {
      const dir = stacks.find((s) => s.name === outcome.stack)?.dir;
      lines.push(`    repair: ${outcome.repair}${dir ? ` (in ${dir})` : ""}`);
    }
  }
  for (const outcome of outcomes) {
    const where = formatWorkspace(outcome.workspace ?? undefined);
    lines.push(`${SYMBOLS[outcome.status]} ${outcome.path ?? outcome.address}: ${outcome.name} plugin ${outcome.id} ${where}`);
    for (const change of outcome.changes) {
      lines.push(`    ${change.field}: ${change.secret ? "(changed)" : `${formatValue(change.live)} → ${formatValue(change.desired)}`}`);
    }
    if (outcome.status !== "create" && outcome.status !== "missing") {
      for (const field of outcome.knownAfterApply) lines.push(`    ${field}: (known after apply)`);
    }
    if (outcome.note) lines.push(`    note: ${outcome.note}`);
    if (outcome.repair) {
      const dir = stacks.find((s) => s.name === outcome.stack)?.dir;
      lines.push(`    repair: ${outcome.repair}${dir ? ` (in ${dir})` : ""}`);
    }
  }
  const parts = [`${summary.create} to create`, `${summary.update} to update`, `${summary.unchanged} unchanged`];
  if (summary.missing > 0) parts.push(`${summary.missing} missing in Kong`);
  if (summary.drifted > 0) parts.push(`${summary.drifted} changed outside Terraform`);
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`);
  if (outcomes.length === 0 && summary.skipped === 0 && entities.length === 0) lines.push("no plugins in the synthesized stacks");
  if (entitySummary && entities.length > 0) {
    const e = entitySummary;
    const entityParts = [`${e.create} to create`, `${e.update} to update`, `${e.unchanged} unchanged`];
    if (e.delete > 0) entityParts.push(`${e.delete} to delete`);
    if (e.missing > 0) entityParts.push(`${e.missing} missing in Kong`);
    if (e.drifted > 0) entityParts.push(`${e.drifted} changed outside Terraform`);
    lines.push(`Entities: ${entityParts.join(", ")}`);
  }
  lines.push(`Summary: ${parts.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function formatValue(value: unknown): string {
  return value === undefined ? "null" : JSON.stringify(value);
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel === "" ? "." : rel.startsWith("..") ? file : rel;
}

/** Runs the jobs with at most `limit` at once; results in the jobs' order; the first failure rejects. */
async function runLimited<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < jobs.length) {
      const index = next++;
      try {
        results[index] = await jobs[index]!();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/**
 * References by name become the ids Kong stores, as the sync makes them before it compares; a name
 * Kong does not hold is said (the apply would fail on it) and compared as it stands.
 */
async function resolveNamesFor(
  client: KongAdminClient,
  subject: string,
  desired: { readonly workspace?: unknown; readonly payload: Record<string, unknown> },
  foreign: Readonly<Record<string, string>>,
  declared: readonly DesiredEntity[],
  out: Output,
): Promise<void> {
  if (typeof desired.workspace !== "string" && desired.workspace !== undefined) return;
  for (const problem of await resolveNames(client, [{ subject, workspace: desired.workspace || undefined, payload: desired.payload, foreign }], declared)) out.warn(`${problem} (the apply would stop on it)`);
}
