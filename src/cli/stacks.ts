/**
 * The plugins a synthesized cdktf app declares: every `terraform_data` / `null_resource` whose
 * triggers hold a `request` (the config resource of a plugin construct: `PluginSession`,
 * `PluginRateLimiting`, `KongPlugin`, …), and every plugin of a sync layout's desired set, read from
 * `cdktf.out`.
 */
import type { EntityFacts } from "../schema/facts.js";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { ENV, REQUEST_VERSION, SYNC_VERSION, type ConnectionOptions } from "../runtime/contract.js";
import { readConnection } from "../runtime/input.js";
import type { KongTarget } from "../schema/engine/target.js";
import { closest } from "../schema/suggest.js";
import { CliUsageError, describeJsonError } from "./io.js";
import { isRecord } from "./plugin-values.js";

/** One synthesized stack. */
export interface SynthStack {
  readonly name: string;
  /** the stack's directory (where Terraform runs) */
  readonly dir: string;
  /** its `cdk.tf.json` */
  readonly file: string;
  /** the parsed Terraform JSON */
  readonly json: Record<string, unknown>;
}

/** A plugin as the synthesized stack declares it. */
export interface DesiredPlugin {
  readonly stack: string;
  /** Kong's name of the plugin, e.g. `rate-limiting` */
  readonly name: string;
  /** the Kong the stack targets (the provider's `kongVersion` and `edition`), when the request says */
  readonly target?: KongTarget;
  /** a plugin the library has no facts of (a custom plugin): not validated, Kong fills its defaults */
  readonly custom: boolean;
  readonly stackDir: string;
  /** `terraform_data.<logical id>` of the config resource */
  readonly address: string;
  /** the request as the apply-time program receives it (Terraform's template escapes undone) */
  readonly requestText: string;
  readonly pluginId: unknown;
  readonly workspace: unknown;
  readonly serverUrl: unknown;
  /** the construct path, e.g. `payments/session` */
  readonly path: string | undefined;
  /** the Kong body, `{"$ref": …}` placeholders where values are known only at apply */
  readonly payload: Record<string, unknown>;
  /** the provider's connection settings written into the stack (headers, TLS files, timeouts) */
  readonly connection: ConnectionOptions;
  /** with the sync layout: the plugin's key of the sync resource's triggers, and its value in the code */
  readonly syncTrigger?: { readonly key: string; readonly value: string };
}

/**
 * The stacks of a synth output directory: from `manifest.json`, else every `stacks/<name>/cdk.tf.json`;
 * a directory holding `cdk.tf.json` itself is one stack.
 *
 * @param only stack names to keep (all when empty)
 */
export function readSynthOutput(outDir: string, only: readonly string[]): SynthStack[] {
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
    throw new CliUsageError(`no synthesized app at ${outDir}: run cdktf synth first, or pass --out DIR`);
  }
  const found: Array<{ name: string; file: string; dir: string }> = [];
  const manifestFile = path.join(outDir, "manifest.json");
  if (existsSync(path.join(outDir, "cdk.tf.json"))) {
    found.push({ name: path.basename(path.resolve(outDir)), file: path.join(outDir, "cdk.tf.json"), dir: outDir });
  } else if (existsSync(manifestFile)) {
    const manifest = readJsonFile(manifestFile) as { stacks?: Record<string, { synthesizedStackPath?: string; workingDirectory?: string }> };
    for (const [name, stack] of Object.entries(manifest.stacks ?? {})) {
      const file = path.join(outDir, stack.synthesizedStackPath ?? path.join("stacks", name, "cdk.tf.json"));
      found.push({ name, file, dir: path.join(outDir, stack.workingDirectory ?? path.dirname(path.relative(outDir, file))) });
    }
  } else if (existsSync(path.join(outDir, "stacks"))) {
    for (const name of readdirSync(path.join(outDir, "stacks")).sort()) {
      const file = path.join(outDir, "stacks", name, "cdk.tf.json");
      if (existsSync(file)) found.push({ name, file, dir: path.dirname(file) });
    }
  }
  if (found.length === 0) {
    throw new CliUsageError(`no synthesized stacks in ${outDir} (no manifest.json, no stacks/*/cdk.tf.json): run cdktf synth first`);
  }
  const unknown = only.filter((name) => !found.some((stack) => stack.name === name));
  if (unknown.length > 0) {
    const names = found.map((s) => s.name);
    const guess = unknown.length === 1 ? closest(unknown[0]!, names) : undefined;
    throw new CliUsageError(
      `no stack ${unknown.map((n) => JSON.stringify(n)).join(", ")} in ${outDir}${guess ? ` (did you mean ${guess}?)` : ""}; its stacks: ${names.join(", ")}`,
    );
  }
  return found
    .filter((stack) => only.length === 0 || only.includes(stack.name))
    .map((stack) => {
      if (!existsSync(stack.file)) throw new CliUsageError(`the synthesized file of stack ${stack.name} is missing: ${stack.file}`);
      const json = readJsonFile(stack.file);
      if (!isRecord(json)) throw new CliUsageError(`${stack.file} is not a Terraform JSON object`);
      return { ...stack, json };
    });
}

/** The plugins of a stack, and warnings about config resources that could not be read. */
export function desiredPlugins(stack: SynthStack): { plugins: DesiredPlugin[]; warnings: string[] } {
  const plugins: DesiredPlugin[] = [];
  const warnings: string[] = [];
  const resources = isRecord(stack.json.resource) ? stack.json.resource : {};
  for (const [type, triggersKey] of [
    ["terraform_data", "triggers_replace"],
    ["null_resource", "triggers"],
  ] as const) {
    const byId = isRecord(resources[type]) ? resources[type] : {};
    for (const [logicalId, resource] of Object.entries(byId)) {
      const triggers = isRecord(resource) && isRecord(resource[triggersKey]) ? resource[triggersKey] : undefined;
      const raw = triggers?.request;
      if (typeof raw !== "string") continue;
      const address = `${type}.${logicalId}`;
      const requestText = unescapeTemplate(raw);
      let request: unknown;
      try {
        request = JSON.parse(requestText);
      } catch {
        warnings.push(`stack ${stack.name}: ${address} has a request trigger that is not JSON: skipped`);
        continue;
      }
      if (!isRecord(request) || !isRecord(request.payload) || typeof request.payload.name !== "string") continue;
      if (request.version !== REQUEST_VERSION) {
        warnings.push(
          `stack ${stack.name}: ${address} was synthesized with request version ${JSON.stringify(request.version)}, this tool reads version ${REQUEST_VERSION}: skipped (use the cdktf-kong-gateway that synthesized it)`,
        );
        continue;
      }
      plugins.push({
        stack: stack.name,
        name: request.payload.name,
        ...targetOf(request.target),
        custom: request.custom === true,
        stackDir: stack.dir,
        address,
        requestText,
        pluginId: request.pluginId,
        workspace: request.workspace,
        serverUrl: request.serverUrl,
        path: typeof request.path === "string" ? request.path : undefined,
        payload: withLiteralSecret(request.payload, resource as Record<string, unknown>, isRecord(stack.json.locals) ? stack.json.locals : {}),
        connection: connectionOf(resource as Record<string, unknown>, stack.dir),
      });
    }
  }
  plugins.push(...syncedPlugins(stack, warnings));
  plugins.sort((a, b) => ((a.path ?? a.address) < (b.path ?? b.address) ? -1 : 1));
  return { plugins, warnings };
}

/**
 * The plugins of the sync layout: each sync resource's desired set, the file its provisioner reads
 * (`KONG_CDKTF_SYNC`, among the stack's assets). The repair of one is the sync resource's replacement.
 */
function syncedPlugins(stack: SynthStack, warnings: string[]): DesiredPlugin[] {
  const plugins: DesiredPlugin[] = [];
  for (const { address, resource, desired, triggers } of desiredSets(stack, warnings)) {
    for (const entry of desired.plugins as unknown[]) {
      if (!isRecord(entry) || !isRecord(entry.payload) || typeof entry.payload.name !== "string") continue;
      const trigger = typeof entry.path === "string" ? triggers[entry.path] : undefined;
      plugins.push({
        stack: stack.name,
        name: entry.payload.name,
        ...targetOf(desired.target),
        custom: entry.custom === true,
        stackDir: stack.dir,
        address,
        requestText: JSON.stringify(entry),
        pluginId: entry.id,
        workspace: entry.workspace,
        serverUrl: desired.serverUrl,
        path: typeof entry.path === "string" ? entry.path : undefined,
        payload: entry.payload,
        connection: connectionOf(resource, stack.dir),
        ...(typeof trigger === "string" ? { syncTrigger: { key: entry.path as string, value: unescapeTemplate(trigger) } } : {}),
      });
    }
  }
  return plugins;
}

/** A core entity as the synthesized stack declares it (the sync layout's desired set). */
export interface DesiredEntity {
  readonly stack: string;
  /** Kong's DAO name of its kind, e.g. `services` */
  readonly kind: string;
  readonly target?: KongTarget;
  /** `terraform_data.<logical id>` of the sync resource */
  readonly address: string;
  readonly id: unknown;
  readonly workspace: unknown;
  readonly serverUrl: unknown;
  readonly path: string;
  /** the Kong body, `{"$ref": …}` placeholders where values are known only at apply */
  readonly payload: Record<string, unknown>;
  /** the kind's table of facts, from the desired set */
  readonly facts: EntityFacts;
  readonly connection: ConnectionOptions;
  /** the entity's key of the sync resource's triggers, and its value in the code */
  readonly syncTrigger?: { readonly key: string; readonly value: string };
  /** the address of the stack's owner resource (its id in the state is the owner token) */
  readonly ownerAddress?: string;
  /** the construct names the id: the apply takes the entity over */
  readonly adopt: boolean;
}

/** The core entities of a stack's desired sets, sorted by construct path, and the addresses of their owner resources. */
export function desiredEntities(stack: SynthStack): { entities: DesiredEntity[]; owners: string[]; warnings: string[] } {
  const entities: DesiredEntity[] = [];
  const owners: string[] = [];
  const warnings: string[] = [];
  for (const { address, resource, desired, triggers, ownerAddress } of desiredSets(stack, warnings)) {
    if (ownerAddress) owners.push(ownerAddress);
    const facts = isRecord(desired.entityFacts) ? desired.entityFacts : {};
    for (const entry of Array.isArray(desired.entities) ? (desired.entities as unknown[]) : []) {
      if (!isRecord(entry) || typeof entry.kind !== "string" || typeof entry.path !== "string" || !isRecord(entry.payload) || !isRecord(facts[entry.kind])) continue;
      const trigger = triggers[entry.path];
      entities.push({
        stack: stack.name,
        kind: entry.kind,
        ...targetOf(desired.target),
        address,
        id: entry.id,
        workspace: entry.workspace,
        serverUrl: desired.serverUrl,
        path: entry.path,
        payload: entry.payload,
        facts: facts[entry.kind] as unknown as EntityFacts,
        adopt: entry.adopt === true,
        connection: connectionOf(resource, stack.dir),
        ...(typeof trigger === "string" ? { syncTrigger: { key: entry.path, value: unescapeTemplate(trigger) } } : {}),
        ...(ownerAddress ? { ownerAddress } : {}),
      });
    }
  }
  entities.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { entities, owners, warnings };
}

/**
 * Each sync resource of a stack with its desired set: the file its provisioner reads
 * (`KONG_CDKTF_SYNC`, among the stack's assets), and the owner resource it depends on.
 */
function desiredSets(stack: SynthStack, warnings: string[]): readonly DesiredSetOf[] {
  // read once per stack: the plugins and the entities of a diff come from the same files
  const cached = desiredSetCache.get(stack);
  if (cached) {
    warnings.push(...cached.warnings);
    return cached.found;
  }
  const own: string[] = [];
  const found = readDesiredSets(stack, own);
  desiredSetCache.set(stack, { found, warnings: own });
  warnings.push(...own);
  return found;
}

interface DesiredSetOf {
  readonly address: string;
  readonly resource: Record<string, unknown>;
  readonly desired: Record<string, unknown>;
  readonly triggers: Record<string, unknown>;
  readonly ownerAddress?: string;
}

const desiredSetCache = new WeakMap<SynthStack, { readonly found: readonly DesiredSetOf[]; readonly warnings: readonly string[] }>();

function readDesiredSets(stack: SynthStack, warnings: string[]): DesiredSetOf[] {
  const found: DesiredSetOf[] = [];
  const resources = isRecord(stack.json.resource) && isRecord(stack.json.resource.terraform_data) ? stack.json.resource.terraform_data : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const environment = environmentOf(resource);
    const file = environment[ENV.sync];
    if (typeof file !== "string") continue;
    const address = `terraform_data.${logicalId}`;
    let desired: unknown;
    try {
      desired = JSON.parse(readFileSync(path.join(stack.dir, file), "utf8"));
    } catch {
      warnings.push(`stack ${stack.name}: ${address} reads the desired set ${file}, which is missing or not JSON: skipped (synthesize the stack again)`);
      continue;
    }
    if (!isRecord(desired) || desired.version !== SYNC_VERSION || !Array.isArray(desired.plugins)) {
      warnings.push(`stack ${stack.name}: ${address}: the desired set ${file} is not of version ${SYNC_VERSION}: skipped (use the cdktf-kong-gateway that synthesized it)`);
      continue;
    }
    // the owner token: `${terraform_data.<owner>.id}` in the provisioner's environment
    const owner = typeof environment[ENV.owner] === "string" ? /^\$\{(terraform_data\.[A-Za-z0-9_-]+)\.id\}$/.exec(environment[ENV.owner] as string)?.[1] : undefined;
    found.push({ address, resource, desired, triggers: isRecord(resource.triggers_replace) ? resource.triggers_replace : {}, ...(owner ? { ownerAddress: owner } : {}) });
  }
  return found;
}

/** The `target` a request or desired set names, when it is an edition and a version. */
function targetOf(value: unknown): { target?: KongTarget } {
  if (!isRecord(value) || typeof value.version !== "string" || (value.edition !== "oss" && value.edition !== "enterprise")) return {};
  return { target: { edition: value.edition, version: value.version } };
}

/** A literal secret as the construct writes it into the provisioner's environment (or into a local it names). */
const LITERAL_SECRET = /^\$\{sensitive\("([A-Za-z0-9+/=]*)"\)\}$/;
/** A reference to a local value of the stack: `${local.<name>}`. */
const LOCAL_REFERENCE = /^\$\{local\.([A-Za-z0-9_-]+)\}$/;

/**
 * The payload with each literal secret put back where its placeholder stands: the construct keeps
 * the secrets out of the triggers and writes each, base64-encoded, into the apply provisioner's
 * environment (`{"$ref": "secret", "as": "base64"}`, `secret_1`, …). A secret from a reference stays
 * a placeholder (known only at apply).
 */
function withLiteralSecret(payload: Record<string, unknown>, resource: Record<string, unknown>, locals: Record<string, unknown>): Record<string, unknown> {
  const environment = environmentOf(resource);
  const visit = (value: unknown): unknown => {
    if (isRecord(value) && typeof value.$ref === "string" && value.as === "base64" && Object.keys(value).length === 2) {
      let variable = environment[`${ENV.refPrefix}${value.$ref}`];
      const local = typeof variable === "string" ? LOCAL_REFERENCE.exec(variable) : null;
      if (local) variable = locals[local[1]!];
      const literal = typeof variable === "string" ? LITERAL_SECRET.exec(variable) : null;
      return literal ? Buffer.from(literal[1]!, "base64").toString("utf8") : value;
    }
    if (Array.isArray(value)) return value.map(visit);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return isRecord(payload.config) ? { ...payload, config: visit(payload.config) } : payload;
}

/** The environment of the resource's first local-exec provisioner. */
function environmentOf(resource: Record<string, unknown>): Record<string, unknown> {
  const provisioners = Array.isArray(resource.provisioner) ? resource.provisioner : [];
  for (const provisioner of provisioners) {
    const exec = isRecord(provisioner) ? provisioner["local-exec"] : undefined;
    if (isRecord(exec) && isRecord(exec.environment)) return exec.environment;
  }
  return {};
}

/** Undoes Terraform's template escapes of a literal string: `$${` → `${`, `%%{` → `%{`. */
export function unescapeTemplate(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** The `KONG_CDKTF_CONNECTION` of the resource's provisioner, TLS file paths resolved against the stack. */
function connectionOf(resource: Record<string, unknown>, stackDir: string): ConnectionOptions {
  const provisioners = Array.isArray(resource.provisioner) ? resource.provisioner : [];
  for (const provisioner of provisioners) {
    const exec = isRecord(provisioner) ? provisioner["local-exec"] : undefined;
    const environment = isRecord(exec) ? exec.environment : undefined;
    const text = isRecord(environment) ? environment[ENV.connection] : undefined;
    if (typeof text !== "string") continue;
    try {
      const options = readConnection({ [ENV.connection]: unescapeTemplate(text) });
      const file = (value: string | undefined) => (value === undefined ? undefined : path.resolve(stackDir, value));
      return Object.fromEntries(
        Object.entries({
          ...options,
          caCertFile: file(options.caCertFile),
          clientCertFile: file(options.clientCertFile),
          clientKeyFile: file(options.clientKeyFile),
        }).filter(([, v]) => v !== undefined),
      ) as ConnectionOptions;
    } catch {
      return {};
    }
  }
  return {};
}

/** A JSON file, parsed; a clear error when it cannot be read or parsed. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliUsageError(`cannot read ${file} (${(error as { code?: string }).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${file} is not valid JSON (${describeJsonError(error, text)})`);
  }
}
