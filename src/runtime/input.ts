/**
 * The program's input, read from environment variables (see `contract.ts`) and checked, so that a
 * broken stack fails with a message naming the variable rather than with a stack trace.
 */
import {
  ENV,
  REQUEST_VERSION,
  isRefPlaceholder,
  type ApplyRequest,
  type ConnectionOptions,
  type ReapEntry,
} from "./contract.js";
import { KongRequestError } from "./errors.js";

/** The environment, like `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The plugin a `delete` removes. */
export interface DeleteTarget {
  readonly id: string;
  /** undefined for no workspace prefix */
  readonly workspace: string | undefined;
  readonly serverUrl: string;
}

/** What `reap` compares. */
export interface ReapInput {
  readonly previous: readonly ReapEntry[];
  readonly current: readonly string[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CONNECTION_KEYS = new Set([
  "headers",
  "caCertFile",
  "clientCertFile",
  "clientKeyFile",
  "insecureSkipTlsVerify",
  "requestTimeoutMs",
  "deadlineMs",
  "maxRetries",
]);

/** `KONG_CDKTF_REQUEST`, checked: version, plugin id, server URL, workspace, payload. */
export function readApplyRequest(env: Env): ApplyRequest {
  const name = ENV.request;
  const value = readJson(env, name);
  const fail = (problem: string) => new KongRequestError(`invalid ${name}: ${problem}`);
  if (!isObject(value)) throw fail("expected a JSON object");
  if (value.version !== REQUEST_VERSION) {
    throw fail(
      `request version ${JSON.stringify(value.version)}, but this program reads version ${REQUEST_VERSION}: synthesize the stack again with the installed cdktf-kong-gateway`,
    );
  }
  const pluginId = checkPluginId(value.pluginId, fail);
  const serverUrl = checkServerUrl(value.serverUrl, fail);
  const workspace = checkWorkspace(value.workspace, fail);
  if (value.path !== undefined && typeof value.path !== "string") throw fail("path must be a string");
  if (!isObject(value.payload)) throw fail("payload must be a JSON object");
  // no payload values in these messages: the payload may hold the secret
  if (value.payload.name !== "session") throw fail(`payload.name must be "session"`);
  if (value.payload.id !== undefined && value.payload.id !== pluginId) {
    throw fail(`payload.id differs from pluginId ${pluginId}`);
  }
  return {
    version: REQUEST_VERSION,
    pluginId,
    serverUrl,
    ...(workspace === undefined ? {} : { workspace }),
    ...(typeof value.path === "string" ? { path: value.path } : {}),
    payload: value.payload,
  };
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

/** `KONG_CDKTF_PLUGIN_ID`, `KONG_CDKTF_WORKSPACE` and `KONG_CDKTF_SERVER_URL`, checked. */
export function readDeleteTarget(env: Env): DeleteTarget {
  const id = checkPluginId(required(env, ENV.pluginId), (p) => new KongRequestError(`invalid ${ENV.pluginId}: ${p}`));
  const serverUrl = checkServerUrl(required(env, ENV.serverUrl), (p) => new KongRequestError(`invalid ${ENV.serverUrl}: ${p}`));
  const workspace = checkWorkspace(env[ENV.workspace], (p) => new KongRequestError(`invalid ${ENV.workspace}: ${p}`));
  return { id, workspace, serverUrl };
}

/** `KONG_CDKTF_REAP_PREVIOUS` and `KONG_CDKTF_REAP_CURRENT`, checked; an unset or empty one is `[]`. */
export function readReapInput(env: Env): ReapInput {
  const list = (name: string): unknown[] => {
    if (env[name] === undefined || env[name]!.trim() === "") return [];
    const value = readJson(env, name);
    if (!Array.isArray(value)) throw new KongRequestError(`invalid ${name}: expected a JSON list`);
    return value;
  };
  const previous = list(ENV.reapPrevious).map((entry, i): ReapEntry => {
    const fail = (problem: string) => new KongRequestError(`invalid ${ENV.reapPrevious}: item ${i}: ${problem}`);
    if (!isObject(entry)) throw fail("expected an object with id, workspace and serverUrl");
    const workspace = checkWorkspace(entry.workspace, fail);
    return { id: checkPluginId(entry.id, fail), workspace: workspace ?? "", serverUrl: checkServerUrl(entry.serverUrl, fail) };
  });
  const current = list(ENV.reapCurrent).map((id, i) => {
    if (typeof id !== "string") throw new KongRequestError(`invalid ${ENV.reapCurrent}: item ${i}: expected a plugin id`);
    return id;
  });
  return { previous, current };
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

function checkPluginId(value: unknown, fail: (problem: string) => Error): string {
  if (typeof value !== "string" || !UUID.test(value)) throw fail(`the plugin id must be a UUID, got ${describe(value)}`);
  return value;
}

function checkServerUrl(value: unknown, fail: (problem: string) => Error): string {
  if (typeof value !== "string" || !/^https?:\/\/[^/]/i.test(value)) {
    const shown = typeof value === "string" ? JSON.stringify(value.replace(/\/\/[^/@]*@/, "//")) : describe(value);
    throw fail(`the server URL must be an http or https URL, got ${shown}`);
  }
  return value;
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
