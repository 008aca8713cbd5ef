/**
 * The program's input, read from environment variables (see `contract.ts`) and checked, so that a
 * broken stack fails with a message naming the variable rather than with a stack trace.
 */
import {
  ENV,
  MAX_REAP_CHUNKS,
  REQUEST_VERSION,
  SYNC_VERSION,
  isRefPlaceholder,
  type ApplyRequest,
  type ConnectionOptions,
  type CurrentEntry,
} from "./contract.js";
import { readFileSync } from "node:fs";
import type { EntityFacts, PluginFacts } from "../schema/facts.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { targetProblem } from "../schema/engine/target.js";
import { KongRequestError } from "./errors.js";
import { normaliseServerUrl, showServerUrl } from "./server-url.js";

/** The environment, like `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The plugin a `delete` removes. */
export interface DeleteTarget {
  readonly id: string;
  /** Kong's name of the plugin */
  readonly name: string;
  /** undefined for no workspace prefix */
  readonly workspace: string | undefined;
  readonly serverUrl: string;
  /** the owner token the plugin was written with; undefined for a plugin of cdktf-kong-gateway 0.1 */
  readonly owner: string | undefined;
}

/** A plugin of the previous apply, as `reap` reads it. */
export interface PreviousPlugin {
  /** the construct path; undefined in the list of cdktf-kong-gateway 0.1 */
  readonly path: string | undefined;
  readonly id: string;
  /** "" for no workspace prefix */
  readonly workspace: string;
  /** undefined in the list of cdktf-kong-gateway 0.1 */
  readonly owner: string | undefined;
  /** Kong's name of the plugin ("session" in the lists that have no names) */
  readonly name: string;
}

/** What `reap` compares, and where it deletes. */
export interface ReapInput {
  readonly previous: readonly PreviousPlugin[];
  readonly current: readonly CurrentEntry[];
  /** the server URL the stack points at now; undefined: each legacy entry's own */
  readonly serverUrl: string | undefined;
  /** the server URLs of legacy entries, by id */
  readonly legacyServerUrls: ReadonlyMap<string, string>;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CONNECTION_KEYS = new Set([
  "headers",
  "headersFromEnv",
  "adminTokenHeader",
  "caCertFile",
  "clientCertFile",
  "clientKeyFile",
  "insecureSkipTlsVerify",
  "requestTimeoutMs",
  "deadlineMs",
  "maxRetries",
]);

/**
 * `KONG_CDKTF_REQUEST`, checked, with every placeholder resolved (the identity fields too: a
 * plugin id, workspace or server URL from a reference arrives in `KONG_CDKTF_REF_<n>` like any value).
 */
export function readApplyRequest(env: Env): ApplyRequest {
  const name = ENV.request;
  const raw = readJson(env, name);
  const fail = (problem: string) => new KongRequestError(`invalid ${name}: ${problem}`);
  if (!isObject(raw)) throw fail("expected a JSON object");
  if (raw.version !== REQUEST_VERSION) {
    throw fail(
      `request version ${JSON.stringify(raw.version)}, but this program reads version ${REQUEST_VERSION}: synthesize the stack again with the installed cdktf-kong-gateway`,
    );
  }
  // the payload's paths read as the plugin's fields (`config.secret`), the others as the request's
  const value = Object.fromEntries(
    Object.entries(raw).map(([key, item]) => [key, resolve(item, key === "payload" ? [] : [key], env)]),
  ) as Record<string, unknown>;
  const pluginId = checkPluginId(value.pluginId, fail);
  const serverUrl = checkServerUrl(value.serverUrl, fail);
  const workspace = checkWorkspace(value.workspace, fail);
  if (value.path !== undefined && typeof value.path !== "string") throw fail("path must be a string");
  if (typeof value.owner !== "string" || value.owner.trim() === "") throw fail("owner must be a non-empty string (the identity resource's id)");
  if (value.adopt !== undefined && typeof value.adopt !== "boolean") throw fail("adopt must be a boolean");
  if (!isObject(value.payload)) throw fail("payload must be a JSON object");
  // no payload values in these messages: the payload may hold the secret
  if (typeof value.payload.name !== "string" || !PLUGIN_NAME.test(value.payload.name)) {
    throw fail("payload.name must be a plugin name (lower-case letters, digits, - and _)");
  }
  if (value.custom !== undefined && typeof value.custom !== "boolean") throw fail("custom must be a boolean");
  const target = checkTarget(value.target, fail);
  if (value.payload.id !== undefined && value.payload.id !== pluginId) {
    throw fail(`payload.id differs from pluginId ${pluginId}`);
  }
  return {
    version: REQUEST_VERSION,
    pluginId,
    serverUrl,
    ...(workspace === undefined ? {} : { workspace }),
    ...(typeof value.path === "string" ? { path: value.path } : {}),
    owner: value.owner.trim(),
    ...(value.adopt === true ? { adopt: true } : {}),
    ...(target ? { target } : {}),
    ...(value.custom === true ? { custom: true } : {}),
    payload: value.payload,
  };
}

/** A plugin of the desired set, checked, its placeholders resolved, with its table of facts. */
export interface DesiredPlugin {
  readonly path: string;
  readonly id: string;
  readonly workspace: string | undefined;
  readonly adopt: boolean;
  readonly custom: boolean;
  readonly payload: Record<string, unknown>;
  readonly facts: PluginFacts | undefined;
}

/** What `sync` reads: the desired set of `KONG_CDKTF_SYNC`, checked and resolved, and the owner token. */
export interface SyncInput {
  readonly serverUrl: string;
  readonly owner: string;
  readonly target: ApplyRequest["target"];
  readonly plugins: readonly DesiredPlugin[];
  /** the core entities, parents before children */
  readonly entities: readonly DesiredEntity[];
}

/** One entity of the desired set, its placeholders resolved. */
export interface DesiredEntity {
  /** Kong's DAO name of its kind */
  readonly kind: string;
  readonly path: string;
  readonly id: string;
  readonly workspace: string | undefined;
  readonly adopt: boolean;
  readonly payload: Record<string, unknown>;
  readonly facts: EntityFacts;
}

/**
 * The desired set of `sync`: the file `KONG_CDKTF_SYNC` names, checked, every placeholder resolved
 * (each plugin's paths read as its fields, as in `apply`), and the owner token.
 */
export function readSyncInput(env: Env): SyncInput {
  const file = required(env, ENV.sync);
  const fail = (problem: string) => new KongRequestError(`invalid desired set ${file}: ${problem}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KongRequestError(`cannot read the desired set ${file} (${code}): run terraform in the directory cdktf synthesized the stack into`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw fail("not valid JSON");
  }
  if (!isObject(raw)) throw fail("expected a JSON object");
  if (raw.version !== SYNC_VERSION) {
    throw fail(`version ${JSON.stringify(raw.version)}, but this program reads version ${SYNC_VERSION}: synthesize the stack again with the installed cdktf-kong-gateway`);
  }
  const serverUrl = checkServerUrl(resolve(raw.serverUrl, ["serverUrl"], env), fail);
  const target = checkTarget(raw.target, fail);
  const owner = required(env, ENV.owner).trim();
  if (!Array.isArray(raw.plugins)) throw fail("plugins must be a list");
  const factsByName = isObject(raw.facts) ? raw.facts : {};
  const seen = new Set<string>();
  const plugins = raw.plugins.map((item, i): DesiredPlugin => {
    const at = (problem: string) => fail(`plugins[${i}]: ${problem}`);
    if (!isObject(item)) throw at("expected a JSON object");
    if (typeof item.path !== "string") throw at("path must be a string");
    const id = checkPluginId(resolve(item.id, ["id"], env), at);
    const workspace = checkWorkspace(resolve(item.workspace, ["workspace"], env), at);
    const key = `${workspace ?? ""} ${id.toLowerCase()}`;
    if (seen.has(key)) throw at(`plugin ${id} is declared twice`);
    seen.add(key);
    const payload = resolve(item.payload, [], env);
    if (!isObject(payload) || typeof payload.name !== "string" || !PLUGIN_NAME.test(payload.name)) {
      throw at("payload must be a plugin body with a name (lower-case letters, digits, - and _)");
    }
    const custom = item.custom === true;
    const facts = custom || payload.name === "session" ? undefined : factsByName[payload.name];
    if (!custom && payload.name !== "session" && (!isObject(facts) || facts.name !== payload.name || !isObject(facts.config))) {
      throw at(`no table of facts of the ${payload.name} plugin in the desired set`);
    }
    return { path: item.path, id, workspace, adopt: item.adopt === true, custom, payload, facts: facts as PluginFacts | undefined };
  });
  const entityFacts = isObject(raw.entityFacts) ? raw.entityFacts : {};
  if (raw.entities !== undefined && !Array.isArray(raw.entities)) throw fail("entities must be a list");
  const entities = ((raw.entities as unknown[] | undefined) ?? []).map((item, i): DesiredEntity => {
    const at = (problem: string) => fail(`entities[${i}]: ${problem}`);
    if (!isObject(item)) throw at("expected a JSON object");
    if (typeof item.path !== "string") throw at("path must be a string");
    const kind = typeof item.kind === "string" ? ENTITY_KIND_BY_NAME.get(item.kind) : undefined;
    if (!kind) throw at(`kind must be one of: ${[...ENTITY_KIND_BY_NAME.keys()].join(", ")}`);
    const id = checkPluginId(resolve(item.id, ["id"], env), at, "entity");
    const workspace = checkWorkspace(resolve(item.workspace, ["workspace"], env), at);
    const key = `${kind.name} ${workspace ?? ""} ${id.toLowerCase()}`;
    if (seen.has(key)) throw at(`${kind.what} ${id} is declared twice`);
    seen.add(key);
    const payload = resolve(item.payload, [], env);
    if (!isObject(payload)) throw at("payload must be a JSON object");
    const facts = entityFacts[kind.name];
    if (!isObject(facts) || facts.name !== kind.name || !isObject(facts.fields)) throw at(`no table of facts of ${kind.name} in the desired set`);
    return { kind: kind.name, path: item.path, id, workspace, adopt: item.adopt === true, payload, facts: facts as unknown as EntityFacts };
  });
  return { serverUrl, owner, target, plugins, entities };
}

/** What `teardown` reads: where the stack's plugins are, and its owner token. */
export interface TeardownInput {
  readonly serverUrl: string;
  readonly owner: string;
  readonly workspaces: ReadonlyArray<string | undefined>;
}

export function readTeardownInput(env: Env): TeardownInput {
  const fail = (problem: string) => new KongRequestError(`invalid ${ENV.workspaces}: ${problem}`);
  const serverUrl = checkServerUrl(required(env, ENV.serverUrl), (problem) => new KongRequestError(`invalid ${ENV.serverUrl}: ${problem}`));
  const owner = required(env, ENV.owner).trim();
  const workspaces = list(env, ENV.workspaces).map((item) => checkWorkspace(item, fail));
  return { serverUrl, owner, workspaces: [...new Set(workspaces.length > 0 ? workspaces : [undefined])] };
}

/** The `target` of a request: an edition and a version of the published data, or absent. */
function checkTarget(value: unknown, fail: (problem: string) => Error): ApplyRequest["target"] {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.version !== "string" || (value.edition !== "oss" && value.edition !== "enterprise")) {
    throw fail('target must be {"edition": "oss" | "enterprise", "version": "<major.minor>"}');
  }
  const problem = targetProblem(value);
  if (problem) throw fail(`target.${problem.field === "kongVersion" ? "version" : "edition"}: ${problem.message}, got ${describe(value[problem.field === "kongVersion" ? "version" : "edition"])}`);
  return { edition: value.edition, version: value.version };
}

/** Kong's plugin names: lower-case letters, digits, `-` and `_`. */
const PLUGIN_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * `KONG_CDKTF_FACTS`: the path of the plugin's table of facts, read and checked; undefined when it is
 * unset. The file is an asset of the synthesized stack, written by the library.
 */
export function readFactsFile(env: Env, pluginName: string): PluginFacts | undefined {
  const file = env[ENV.facts];
  if (file === undefined || file === "") return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KongRequestError(`invalid ${ENV.facts}: cannot read ${file} (${code}): run terraform in the directory cdktf synthesized the stack into`);
  }
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch {
    throw new KongRequestError(`invalid ${ENV.facts}: ${file} is not valid JSON`);
  }
  if (!isObject(facts) || typeof facts.name !== "string" || !isObject(facts.config) || typeof facts.ee !== "number") {
    throw new KongRequestError(`invalid ${ENV.facts}: ${file} is not a table of plugin facts`);
  }
  if (facts.name !== pluginName) {
    throw new KongRequestError(`invalid ${ENV.facts}: ${file} holds the facts of the ${facts.name} plugin, not of the ${pluginName} plugin`);
  }
  return facts as unknown as PluginFacts;
}

/** `KONG_CDKTF_CONNECTION`, checked; `{}` when unset. */
export function readConnection(env: Env): ConnectionOptions {
  const name = ENV.connection;
  if (env[name] === undefined || env[name] === "") return {};
  const value = readJson(env, name);
  const fail = (problem: string) => new KongRequestError(`invalid ${name}: ${problem}`);
  if (!isObject(value)) throw fail("expected a JSON object");
  for (const key of Object.keys(value)) {
    if (!CONNECTION_KEYS.has(key)) throw fail(`unknown option ${JSON.stringify(key)}`);
  }
  if (value.headers !== undefined) {
    if (!isObject(value.headers) || !Object.values(value.headers).every((v) => typeof v === "string")) {
      throw fail("headers must be an object of strings");
    }
  }
  if (value.headersFromEnv !== undefined) {
    if (!isObject(value.headersFromEnv) || !Object.values(value.headersFromEnv).every((v) => typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) {
      throw fail("headersFromEnv must be an object of environment variable names");
    }
  }
  if (value.adminTokenHeader !== undefined && (typeof value.adminTokenHeader !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value.adminTokenHeader))) {
    throw fail("adminTokenHeader must be an HTTP header name");
  }
  for (const key of ["caCertFile", "clientCertFile", "clientKeyFile"] as const) {
    if (value[key] !== undefined && (typeof value[key] !== "string" || value[key] === "")) {
      throw fail(`${key} must be a file path`);
    }
  }
  if (value.insecureSkipTlsVerify !== undefined && typeof value.insecureSkipTlsVerify !== "boolean") {
    throw fail("insecureSkipTlsVerify must be a boolean");
  }
  for (const key of ["requestTimeoutMs", "deadlineMs"] as const) {
    const n = value[key];
    if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n) || n <= 0)) {
      throw fail(`${key} must be a positive number of milliseconds, got ${describe(n)}`);
    }
  }
  const retries = value.maxRetries;
  if (retries !== undefined && (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0)) {
    throw fail(`maxRetries must be an integer of at least 0, got ${describe(retries)}`);
  }
  return value as ConnectionOptions;
}

/**
 * The values of the headers a provider reads from the environment (`headersFromEnv`), by header
 * name; a variable that is unset or empty is an error naming it (never its value).
 */
export function readSecretHeaders(connection: ConnectionOptions, env: Env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, variable] of Object.entries(connection.headersFromEnv ?? {})) {
    const value = env[variable];
    if (value === undefined || value.trim() === "") {
      throw new KongRequestError(
        `the header ${header} is read from the environment variable ${variable}, which is not set where Terraform runs: set it, or remove the header from headersFromEnv`,
      );
    }
    if (/[\r\n\0]/.test(value.trim())) throw new KongRequestError(`the value of ${variable} (header ${header}) has a line break`);
    headers[header] = value.trim();
  }
  return headers;
}

/** `KONG_CDKTF_PLUGIN_ID`, `KONG_CDKTF_PLUGIN_NAME`, `KONG_CDKTF_WORKSPACE`, `KONG_CDKTF_SERVER_URL` and `KONG_CDKTF_OWNER`, checked. */
export function readDeleteTarget(env: Env): DeleteTarget {
  const id = checkPluginId(required(env, ENV.pluginId), (p) => new KongRequestError(`invalid ${ENV.pluginId}: ${p}`));
  const serverUrl = checkServerUrl(required(env, ENV.serverUrl), (p) => new KongRequestError(`invalid ${ENV.serverUrl}: ${p}`));
  const workspace = checkWorkspace(env[ENV.workspace], (p) => new KongRequestError(`invalid ${ENV.workspace}: ${p}`));
  const owner = env[ENV.owner]?.trim() || undefined;
  const name = checkPluginName(env[ENV.pluginName], (p) => new KongRequestError(`invalid ${ENV.pluginName}: ${p}`));
  return { id, name, workspace, serverUrl, owner };
}

/**
 * The reaper's input: the previous plugins from `KONG_CDKTF_REAP_PREVIOUS_<n>` (lists of
 * `[path, id, workspace, owner, name]`) or, for a reaper written by cdktf-kong-gateway 0.1, from
 * `KONG_CDKTF_REAP_PREVIOUS` (a list of `{id, workspace, serverUrl}`); the current ones from
 * `KONG_CDKTF_REAP_CURRENT_<n>` (lists of `[path, id | null, workspace | null]`: the configuration the
 * provisioner runs with is always this version's). Unset and empty chunks are empty.
 */
export function readReapInput(env: Env): ReapInput {
  const chunks = (prefix: string): Array<{ name: string; items: unknown[] }> => {
    const found: Array<{ name: string; items: unknown[] }> = [];
    for (let i = 0; i < MAX_REAP_CHUNKS; i++) found.push({ name: `${prefix}_${i}`, items: list(env, `${prefix}_${i}`) });
    return found;
  };
  const previous: PreviousPlugin[] = [];
  for (const { name, items } of chunks(ENV.reapPrevious)) {
    items.forEach((entry, i) => {
      const fail = (problem: string) => new KongRequestError(`invalid ${name}: item ${i}: ${problem}`);
      // without the name: a list written when the session plugin was the only one
      if (!Array.isArray(entry) || (entry.length !== 5 && entry.length !== 4)) throw fail("expected [path, id, workspace, owner, name]");
      const [path, id, workspace, owner, pluginName] = entry as unknown[];
      if (typeof path !== "string") throw fail("the path must be a string");
      if (typeof owner !== "string") throw fail("the owner must be a string");
      previous.push({
        path,
        id: checkPluginId(id, fail),
        workspace: checkWorkspace(workspace, fail) ?? "",
        owner: owner.trim() || undefined,
        name: checkPluginName(pluginName, fail),
      });
    });
  }
  const legacyServerUrls = new Map<string, string>();
  list(env, ENV.reapPrevious).forEach((entry, i) => {
    const fail = (problem: string) => new KongRequestError(`invalid ${ENV.reapPrevious}: item ${i}: ${problem}`);
    if (!isObject(entry)) throw fail("expected an object with id, workspace and serverUrl");
    const id = checkPluginId(entry.id, fail);
    const workspace = checkWorkspace(entry.workspace, fail) ?? "";
    legacyServerUrls.set(id.toLowerCase(), checkServerUrl(entry.serverUrl, fail));
    previous.push({ path: undefined, id, workspace, owner: undefined, name: "session" });
  });
  const current: CurrentEntry[] = [];
  const stringOrNull = (value: unknown): value is string | null => typeof value === "string" || value === null;
  for (const { name, items } of chunks(ENV.reapCurrent)) {
    items.forEach((entry, i) => {
      if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== "string" || !stringOrNull(entry[1]) || !stringOrNull(entry[2])) {
        throw new KongRequestError(`invalid ${name}: item ${i}: expected [path, id or null, workspace or null]`);
      }
      current.push([entry[0], entry[1], entry[2]]);
    });
  }
  const url = env[ENV.serverUrl];
  const serverUrl = url === undefined || url === "" ? undefined : checkServerUrl(url, (p) => new KongRequestError(`invalid ${ENV.serverUrl}: ${p}`));
  return { previous, current, serverUrl, legacyServerUrls };
}

function list(env: Env, name: string): unknown[] {
  if (env[name] === undefined || env[name]!.trim() === "") return [];
  const value = readJson(env, name);
  if (!Array.isArray(value)) throw new KongRequestError(`invalid ${name}: expected a JSON list`);
  return value;
}

/**
 * The payload with every {@link RefPlaceholder} replaced by its value from `KONG_CDKTF_REF_<ref>`:
 * the raw string for `as: "string"`, the parsed JSON for `as: "json"`.
 */
export function resolveRefs(payload: Record<string, unknown>, env: Env): Record<string, unknown> {
  return resolve(payload, [], env) as Record<string, unknown>;
}

function resolve(value: unknown, path: ReadonlyArray<string | number>, env: Env): unknown {
  if (isRefPlaceholder(value)) {
    const where = formatPath(path);
    if (!/^[A-Za-z0-9_]+$/.test(value.$ref)) {
      throw new KongRequestError(`invalid reference ${JSON.stringify(value.$ref)} at ${where}: expected letters, digits or _`);
    }
    const name = `${ENV.refPrefix}${value.$ref}`;
    const raw = env[name];
    if (raw === undefined) {
      throw new KongRequestError(`the value of the reference at ${where} is missing: ${name} is not set`);
    }
    if (value.as === "string") return raw;
    if (value.as === "base64") {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw.trim())) throw new KongRequestError(`invalid ${name} (the reference at ${where}): not base64`);
      return Buffer.from(raw.trim(), "base64").toString("utf8");
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // never echo the value: it may be a secret
      throw new KongRequestError(`invalid ${name} (the reference at ${where}): not valid JSON`);
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => resolve(item, [...path, i], env));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, [...path, key], env)]));
  }
  return value;
}

function readJson(env: Env, name: string): unknown {
  const text = required(env, name);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // no parser detail: it quotes the text, which may hold a secret
    throw new KongRequestError(`invalid ${name}: not valid JSON`);
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === "") {
    throw new KongRequestError(`missing environment variable ${name}: the synthesized stack sets it for this program`);
  }
  return value;
}

function checkPluginId(value: unknown, fail: (problem: string) => Error, what = "plugin"): string {
  if (typeof value !== "string" || !UUID.test(value)) throw fail(`the ${what} id must be a UUID, got ${describe(value)}`);
  return value;
}

/** A plugin name; unset (undefined or "") is `session`. */
function checkPluginName(value: unknown, fail: (problem: string) => Error): string {
  if (value === undefined || value === "") return "session";
  if (typeof value !== "string" || !PLUGIN_NAME.test(value)) throw fail(`the plugin name must be lower-case letters, digits, - and _, got ${describe(value)}`);
  return value;
}

function checkServerUrl(value: unknown, fail: (problem: string) => Error): string {
  if (typeof value !== "string") throw fail(`the server URL must be a string, got ${describe(value)}`);
  const checked = normaliseServerUrl(value);
  if (checked.problem !== undefined) throw fail(`the server URL ${JSON.stringify(showServerUrl(value))} is invalid: ${checked.problem}`);
  return checked.url;
}

function checkWorkspace(value: unknown, fail: (problem: string) => Error): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw fail(`the workspace must be a string, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out === "" ? "(payload)" : out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
