/**
 * The contract between the synthesized stack and the apply-time program.
 *
 * The provisioners of a plugin construct start `node <asset>/kong-session.cjs <action>` with no other
 * argument; everything else travels in environment variables (never in the command string, so nothing
 * is shell-interpolated). This file names those variables and the shapes of their JSON values; the
 * construct writes them and the program reads them, so both sides import this one file.
 */

/** The action, the only command-line argument of the apply-time program. */
export type RuntimeAction = "apply" | "delete" | "reap" | "sync" | "teardown";

/** Environment variables read by the apply-time program. */
export const ENV = {
  /** `apply`: JSON {@link ApplyRequest}. */
  request: "KONG_CDKTF_REQUEST",
  /** `apply`: prefix of the values of unresolved references (`KONG_CDKTF_REF_0`, …), see {@link RefPlaceholder}. */
  refPrefix: "KONG_CDKTF_REF_",
  /** all actions: JSON {@link ConnectionOptions}; literal values only. */
  connection: "KONG_CDKTF_CONNECTION",
  /** `delete`: the plugin id. */
  pluginId: "KONG_CDKTF_PLUGIN_ID",
  /** `delete`: the workspace name, or "" for none (unprefixed paths). */
  workspace: "KONG_CDKTF_WORKSPACE",
  /** `delete` and `reap`: the Admin API URL the stack points at now. */
  serverUrl: "KONG_CDKTF_SERVER_URL",
  /** `delete`: the owner token of the plugin (the id of its identity resource); "" for none. */
  owner: "KONG_CDKTF_OWNER",
  /** `delete`: Kong's name of the plugin (`rate-limiting`); unset: `session` (a stack written when it was the only one). */
  pluginName: "KONG_CDKTF_PLUGIN_NAME",
  /**
   * `apply`: the path of the plugin's table of facts (a JSON file of the shape `PluginFacts`, an asset of the
   * stack), for every plugin of known facts but `session`, whose rules the program has built in.
   */
  facts: "KONG_CDKTF_FACTS",
  /**
   * `reap`: prefix of the chunks of the stack's plugins as the previous apply knew them
   * (`KONG_CDKTF_REAP_PREVIOUS_0`, …): each a JSON list of {@link ReapEntry} tuples. Without a
   * suffix: the one list of cdktf-kong-gateway 0.1 ({@link LegacyReapEntry} objects).
   */
  reapPrevious: "KONG_CDKTF_REAP_PREVIOUS",
  /** `reap`: prefix of the chunks of the plugins the stack declares now, each a JSON list of {@link CurrentEntry}. */
  reapCurrent: "KONG_CDKTF_REAP_CURRENT",
  /**
   * `sync`: the path of the stack's desired set ({@link SyncRequest}), a file the synthesized stack
   * holds beside `cdk.tf.json`, relative to Terraform's working directory.
   */
  sync: "KONG_CDKTF_SYNC",
  /** `teardown`: JSON list of the workspaces the stack's plugins were in at the last apply ("" for none). */
  workspaces: "KONG_CDKTF_WORKSPACES",
  /** the Admin API token, set by the user in Terraform's environment; never synthesized. */
  adminToken: "KONG_ADMIN_TOKEN",
} as const;

/** Current version of the request format; the program rejects other versions with a clear error. */
export const REQUEST_VERSION = 2;

/**
 * Linux limits one `NAME=value` string of a process's environment to 128 KiB (MAX_ARG_STRLEN), its
 * NUL included; Terraform passes every value of a provisioner's environment that way.
 */
export const MAX_ENV_VALUE_BYTES = 128 * 1024;

/**
 * The bound this library keeps the whole environment it adds to one provisioner under: Linux limits
 * a process's arguments and environment together to a quarter of the stack size limit (2 MiB with
 * the usual 8 MiB), and Terraform's own environment needs room too.
 */
export const MAX_ENV_TOTAL_BYTES = 1536 * 1024;

/** Current version of the desired-set format of `sync`. */
export const SYNC_VERSION = 1;

/**
 * What `sync` makes Kong hold: every plugin of one provider of the stack, read from a file (so no
 * environment variable bounds the stack's size). References and secrets are {@link RefPlaceholder}s
 * whose values arrive in `KONG_CDKTF_REF_<ref>`; the owner token in `KONG_CDKTF_OWNER`.
 */
export interface SyncRequest {
  readonly version: number;
  /** the Admin API base URL, or a placeholder for a reference */
  readonly serverUrl: string | RefPlaceholder;
  readonly target?: { readonly edition: "oss" | "enterprise"; readonly version: string };
  readonly plugins: readonly SyncPlugin[];
  /** the tables of facts of the plugin kinds used (all but `session`, whose rules are built in), by name */
  readonly facts: Readonly<Record<string, unknown>>;
  /**
   * The core entities (services, routes, consumers, credentials, …), parents before children.
   * @default - none
   */
  readonly entities?: readonly SyncEntity[];
  /** the tables of facts of the entity kinds used, by DAO name */
  readonly entityFacts?: Readonly<Record<string, unknown>>;
}

/** One core entity of a {@link SyncRequest}. */
export interface SyncEntity {
  /** Kong's DAO name of its kind (`services`, `keyauth_credentials`) */
  readonly kind: string;
  /** the construct path, for messages */
  readonly path: string;
  /** the entity id, or a placeholder for a reference */
  readonly id: string | RefPlaceholder;
  /** "" for none (unprefixed paths), or a placeholder for a reference */
  readonly workspace: string | RefPlaceholder;
  /** the construct names the id: it may take over an entity another stack owns */
  readonly adopt?: boolean;
  /** the Kong body in Kong's names, without the id */
  readonly payload: Record<string, unknown>;
}

/** One plugin of a {@link SyncRequest}. */
export interface SyncPlugin {
  /** the construct path, for messages */
  readonly path: string;
  /** the plugin id, or a placeholder for a reference */
  readonly id: string | RefPlaceholder;
  /** "" for none (unprefixed paths), or a placeholder for a reference */
  readonly workspace: string | RefPlaceholder;
  /** the construct names the id: it may take over a plugin another stack owns */
  readonly adopt?: boolean;
  /** a plugin this library has no facts of: Kong alone validates its config */
  readonly custom?: boolean;
  /** the Kong body, as {@link ApplyRequest.payload} */
  readonly payload: Record<string, unknown>;
}

/** How many chunks of the previous plugin list a reaper reads (16 of up to 120 KiB: more than the total allows). */
export const MAX_REAP_CHUNKS = 16;

/**
 * What `apply` writes: the whole desired plugin.
 */
export interface ApplyRequest {
  readonly version: number;
  /** the plugin id (UUID), the identity of the plugin together with the workspace */
  readonly pluginId: string;
  /** the workspace name; "" (or absent) means no workspace prefix (open-source Kong, or `default`) */
  readonly workspace?: string;
  /** the Admin API base URL, e.g. `http://localhost:8001` */
  readonly serverUrl: string;
  /** the construct path, for messages only */
  readonly path?: string;
  /** the owner token written into the plugin's owner tag (the id of its identity resource) */
  readonly owner: string;
  /** true when the construct names the plugin's id: it may take over a plugin another stack owns */
  readonly adopt?: boolean;
  /** the Kong the plugin is validated for (`KongGatewayProvider`'s `edition` and `kongVersion`); absent: the newest Enterprise */
  readonly target?: { readonly edition: "oss" | "enterprise"; readonly version: string };
  /** true for a plugin this library has no facts of (a custom plugin): Kong alone validates its config */
  readonly custom?: boolean;
  /**
   * The Kong body in Kong's snake_case names, with the plugin's `name`, unset fields omitted.
   * Values that were unresolved references at synth are {@link RefPlaceholder}s.
   */
  readonly payload: Record<string, unknown>;
}

/**
 * Placeholders may stand anywhere in the request (`pluginId`, `workspace`, `serverUrl` and `owner`
 * too): the program resolves them all before using the request.
 *
 * Stands where the synthesized stack could not know a value (a cdktf token: another resource's
 * attribute, a variable), or where the value must not be written into Terraform's state or logs
 * (the session secret). The value arrives in `KONG_CDKTF_REF_<ref>`: as a plain string when `as` is
 * "string", as JSON (number, boolean, list) when `as` is "json", as the base64 of a string when `as`
 * is "base64" (the secret: any character, a NUL included, fits an environment variable so).
 */
export interface RefPlaceholder {
  readonly $ref: string;
  readonly as: "string" | "json" | "base64";
}

/** Connection settings of a `KongGatewayProvider` other than the server URL; all optional. */
export interface ConnectionOptions {
  /** extra headers sent with every request (not secrets: they are in the synthesized JSON) */
  readonly headers?: Record<string, string>;
  /** headers whose values are read at apply from the named environment variables (credentials) */
  readonly headersFromEnv?: Record<string, string>;
  /** the header that carries `KONG_ADMIN_TOKEN` (Kong Enterprise's `rbac_auth_header`); default `Kong-Admin-Token` */
  readonly adminTokenHeader?: string;
  /** path of a PEM CA bundle to trust for `https` */
  readonly caCertFile?: string;
  /** path of a PEM client certificate (mutual TLS) */
  readonly clientCertFile?: string;
  /** path of the PEM key of the client certificate */
  readonly clientKeyFile?: string;
  /** skip TLS certificate verification (prints a warning) */
  readonly insecureSkipTlsVerify?: boolean;
  /** timeout of one request in milliseconds */
  readonly requestTimeoutMs?: number;
  /** bound on the work for one plugin, retries included, in milliseconds */
  readonly deadlineMs?: number;
  /** how many times a transient failure is retried at most; unset: as often as the deadline allows */
  readonly maxRetries?: number;
}

/**
 * One plugin as the reaper knows it: `[construct path, plugin id, workspace ("" for none), owner
 * token, Kong's plugin name]`; an entry without the name (written when the session plugin was the
 * only one) is a session plugin's.
 */
export type ReapEntry = readonly [path: string, id: string, workspace: string, owner: string, name: string];

/**
 * One plugin the stack declares now: `[construct path, plugin id, workspace ("" for none)]`, the id
 * or workspace null when it is a reference (known only at apply).
 */
export type CurrentEntry = readonly [path: string, id: string | null, workspace: string | null];

/** One plugin as the reaper of cdktf-kong-gateway 0.1 knew it. */
export interface LegacyReapEntry {
  readonly id: string;
  readonly workspace: string;
  readonly serverUrl: string;
}

export function isRefPlaceholder(value: unknown): value is RefPlaceholder {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $ref?: unknown }).$ref === "string" &&
    Object.keys(value).length === 2 &&
    ["string", "json", "base64"].includes((value as { as?: unknown }).as as string)
  );
}
