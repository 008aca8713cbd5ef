/**
 * The contract between the synthesized stack and the apply-time program.
 *
 * The provisioners of a `PluginSession` start `node <asset>/kong-session.cjs <action>` with no other
 * argument; everything else travels in environment variables (never in the command string, so nothing
 * is shell-interpolated). This file names those variables and the shapes of their JSON values; the
 * construct writes them and the program reads them, so both sides import this one file.
 */

/** The action, the only command-line argument of the apply-time program. */
export type RuntimeAction = "apply" | "delete" | "reap";

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
  /** `delete`: the Admin API URL. */
  serverUrl: "KONG_CDKTF_SERVER_URL",
  /** `reap`: JSON {@link ReapEntry}[], the plugins of the stack as the previous apply knew them. */
  reapPrevious: "KONG_CDKTF_REAP_PREVIOUS",
  /** `reap`: JSON string[], the plugin ids the stack declares now. */
  reapCurrent: "KONG_CDKTF_REAP_CURRENT",
  /** the Admin API token, set by the user in Terraform's environment; never synthesized. */
  adminToken: "KONG_ADMIN_TOKEN",
} as const;

/** Current version of the request format; the program rejects other versions with a clear error. */
export const REQUEST_VERSION = 1;

/**
 * What `apply` writes: the whole desired plugin.
 */
export interface ApplyRequest {
  readonly version: number;
  /** the plugin id (UUID), the identity of the plugin together with workspace and server URL */
  readonly pluginId: string;
  /** the workspace name; "" (or absent) means no workspace prefix (open-source Kong, or `default`) */
  readonly workspace?: string;
  /** the Admin API base URL, e.g. `http://localhost:8001` */
  readonly serverUrl: string;
  /** the construct path, for messages only */
  readonly path?: string;
  /**
   * The Kong body in Kong's snake_case names, with `"name": "session"`, unset fields omitted.
   * Values that were unresolved references at synth are {@link RefPlaceholder}s.
   */
  readonly payload: Record<string, unknown>;
}

/**
 * Placeholders may stand anywhere in the request (`pluginId`, `workspace`, `serverUrl` too, when the
 * user gave a reference): the program resolves them all before using the request.
 *
 * Stands where the synthesized stack could not know a value (a cdktf token: another resource's
 * attribute, a variable). The value arrives in `KONG_CDKTF_REF_<ref>`: as a plain string when
 * `as` is "string", as JSON (number, boolean, list) when `as` is "json".
 */
export interface RefPlaceholder {
  readonly $ref: string;
  readonly as: "string" | "json";
}

/** Connection settings of a `KongGatewayProvider` other than the server URL; all optional. */
export interface ConnectionOptions {
  /** extra headers sent with every request (not secrets: they are in the synthesized JSON) */
  readonly headers?: Record<string, string>;
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
  /** bound on the whole action, retries included, in milliseconds */
  readonly deadlineMs?: number;
  /** how many times a transient failure is retried */
  readonly maxRetries?: number;
}

/** One plugin as the reaper knows it. */
export interface ReapEntry {
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
    ((value as { as?: unknown }).as === "string" || (value as { as?: unknown }).as === "json")
  );
}
