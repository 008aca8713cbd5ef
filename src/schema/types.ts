/**
 * The attributes of `kong-gateway_plugin_session`, in camelCase, as a cdktf user writes them.
 *
 * The shapes match cdktf's generated binding of the resource, so object literals written for it
 * type-check unchanged; values may be cdktf tokens (references, variables) anywhere.
 */

/**
 * A value computed by Terraform (cdktf's `IResolvable`), accepted wherever cdktf's generated
 * bindings accept one. Described structurally so this file does not depend on cdktf.
 */
export interface Resolvable {
  resolve(context: any): any;
}

/** A string from a fixed list; any string (e.g. a token) is accepted by the type, checked at synth. */
export type OneOf<T extends string> = T | (string & {});

export type CookieSameSite = "Strict" | "Lax" | "None" | "Default";
export type SessionStorage = "cookie" | "kong";
export type SessionHeader = "id" | "audience" | "subject" | "timeout" | "idling-timeout" | "rolling-timeout" | "absolute-timeout";
export type LogoutMethod = "GET" | "POST" | "DELETE";
export type SessionBind = "ip" | "scheme" | "user-agent";
export type PluginProtocol = "grpc" | "grpcs" | "http" | "https" | "tcp" | "tls" | "tls_passthrough" | "udp" | "ws" | "wss";

/** `config` of the session plugin (Kong: `config`). */
export interface PluginSessionConfig {
  /**
   * The session cookie absolute timeout, in seconds. Specifies how long the session can be used until it is no longer valid.
   *
   * 0 disables it. Kong: `absolute_timeout`.
   * @default 86400
   */
  readonly absoluteTimeout?: number;
  /**
   * The session audience, which is the intended target application. For example `"my-application"`.
   *
   * Kong: `audience`.
   * @default "default"
   */
  readonly audience?: string;
  /**
   * Bind the session to data acquired from the HTTP request or connection.
   *
   * Items: `ip`, `scheme`, `user-agent`. Kong Enterprise 3.12+. Kong: `bind`.
   * @default - not bound
   */
  readonly bind?: OneOf<SessionBind>[];
  /**
   * The domain with which the cookie is intended to be exchanged.
   *
   * Kong: `cookie_domain`.
   * @default - none: the cookie is sent to the host that set it
   */
  readonly cookieDomain?: string;
  /**
   * Applies the `HttpOnly` tag so that the cookie is sent only to a server.
   *
   * Kong: `cookie_http_only`.
   * @default true
   */
  readonly cookieHttpOnly?: boolean | Resolvable;
  /**
   * The name of the cookie.
   *
   * Kong: `cookie_name`.
   * @default "session"
   */
  readonly cookieName?: string;
  /**
   * The resource in the host where the cookie is available.
   *
   * Kong: `cookie_path`.
   * @default "/"
   */
  readonly cookiePath?: string;
  /**
   * Determines whether and how a cookie may be sent with cross-site requests.
   *
   * One of `Strict`, `Lax`, `None`, `Default`. Kong: `cookie_same_site`.
   * @default "Strict"
   */
  readonly cookieSameSite?: OneOf<CookieSameSite>;
  /**
   * Applies the Secure directive so that the cookie may be sent to the server only with an encrypted request over the HTTPS protocol.
   *
   * Kong: `cookie_secure`.
   * @default true
   */
  readonly cookieSecure?: boolean | Resolvable;
  /**
   * Whether to hash or not the subject when store_metadata is enabled.
   *
   * Kong 3.10+. Kong: `hash_subject`.
   * @default false
   */
  readonly hashSubject?: boolean | Resolvable;
  /**
   * The session cookie idle time, in seconds.
   *
   * 0 disables it. Kong: `idling_timeout`.
   * @default 900
   */
  readonly idlingTimeout?: number;
  /**
   * A set of HTTP methods that the plugin will respond to.
   *
   * Items: `GET`, `POST`, `DELETE`. Kong: `logout_methods`.
   * @default ["POST", "DELETE"]
   */
  readonly logoutMethods?: OneOf<LogoutMethod>[];
  /**
   * The POST argument passed to logout requests. Do not change this property.
   *
   * Kong: `logout_post_arg`.
   * @default "session_logout"
   */
  readonly logoutPostArg?: string;
  /**
   * The query argument passed to logout requests.
   *
   * Kong: `logout_query_arg`.
   * @default "session_logout"
   */
  readonly logoutQueryArg?: string;
  /**
   * Whether the plugin reads the request body to find the logout argument.
   *
   * Kong 3.5+. Kong: `read_body_for_logout`.
   * @default false
   */
  readonly readBodyForLogout?: boolean | Resolvable;
  /**
   * Enables or disables persistent sessions.
   *
   * Kong: `remember`.
   * @default false
   */
  readonly remember?: boolean | Resolvable;
  /**
   * The persistent session absolute timeout limit, in seconds.
   *
   * Kong: `remember_absolute_timeout`.
   * @default 2592000
   */
  readonly rememberAbsoluteTimeout?: number;
  /**
   * Persistent session cookie name. Use with the `remember` configuration parameter.
   *
   * Kong: `remember_cookie_name`.
   * @default "remember"
   */
  readonly rememberCookieName?: string;
  /**
   * The persistent session rolling timeout window, in seconds.
   *
   * Kong: `remember_rolling_timeout`.
   * @default 604800
   */
  readonly rememberRollingTimeout?: number;
  /**
   * List of information to include, as headers, in the request to the upstream.
   *
   * Items: `id`, `audience`, `subject`, `timeout`, `idling-timeout`, `rolling-timeout`, `absolute-timeout`. Kong: `request_headers`.
   * @default - none
   */
  readonly requestHeaders?: OneOf<SessionHeader>[];
  /**
   * List of information to include, as headers, in the response to the downstream.
   *
   * Same items as `requestHeaders`. Kong: `response_headers`.
   * @default - none
   */
  readonly responseHeaders?: OneOf<SessionHeader>[];
  /**
   * The session cookie rolling timeout, in seconds. Specifies how long the session can be used until it needs to be renewed.
   *
   * Kong: `rolling_timeout`.
   * @default 3600
   */
  readonly rollingTimeout?: number;
  /**
   * The secret that is used in keyed HMAC generation.
   *
   * Pass a sensitive `TerraformVariable` or a Kong vault reference (`{vault://env/session-secret}`);
   * a literal string ends up in the synthesized JSON and in Terraform state, so synth warns about it.
   * When unset, the secret Kong already holds is kept on every apply. Kong: `secret`.
   * @default - Kong generates a random secret per node process; the first one written is kept
   */
  readonly secret?: string;
  /**
   * The duration, in seconds, after which an old cookie is discarded, starting from the moment when the session becomes outdated and is replaced by a new one.
   *
   * Kong: `stale_ttl`.
   * @default 10
   */
  readonly staleTtl?: number;
  /**
   * Determines where the session data is stored. `kong`: Stores encrypted session data into Kong's current database strategy; the cookie will not contain any session data. `cookie`: Stores encrypted session data within the cookie itself.
   *
   * One of `cookie`, `kong`. Kong: `storage`.
   * @default "cookie"
   */
  readonly storage?: OneOf<SessionStorage>;
  /**
   * Whether to also store metadata of sessions, such as collecting data of sessions for a specific audience belonging to a specific subject.
   *
   * Kong 3.10+. Kong: `store_metadata`.
   * @default false
   */
  readonly storeMetadata?: boolean | Resolvable;
}

/** A list of plugin names for one phase (Kong: `ordering.after` / `ordering.before`). */
export interface PluginSessionOrderingPhase {
  /**
   * Plugins this plugin runs after (or before) in the access phase.
   *
   * Kong: `access`.
   * @default - no constraint
   */
  readonly access?: string[];
}

/** Dynamic plugin ordering (Kong Enterprise; Kong: `ordering`). */
export interface PluginSessionOrdering {
  /**
   * Run after these plugins.
   *
   * @default - no constraint
   */
  readonly after?: PluginSessionOrderingPhase;
  /**
   * Run before these plugins.
   *
   * @default - no constraint
   */
  readonly before?: PluginSessionOrderingPhase;
}

/** Dynamic plugin ordering of any plugin (Kong Enterprise; Kong: `ordering`): the same shape as the session plugin's. */
export type KongPluginOrdering = PluginSessionOrdering;

/** One phase of {@link KongPluginOrdering}. */
export type KongPluginOrderingPhase = PluginSessionOrderingPhase;

/** A partial used by any plugin (Kong Enterprise 3.10+; Kong: `partials[]`): the same shape as the session plugin's. */
export type KongPluginPartial = PluginSessionPartials;

/** A partial used by the plugin (Kong Enterprise 3.10+; Kong: `partials[]`). */
export interface PluginSessionPartials {
  /**
   * A string representing a UUID (universally unique identifier).
   *
   * @default - identified by name
   */
  readonly id?: string;
  /**
   * A unique string representing a UTF-8 encoded name.
   *
   * @default - identified by id
   */
  readonly name?: string;
  /**
   * The path of the partial's value in the plugin configuration.
   *
   * @default - Kong's default for the partial
   */
  readonly path?: string;
}

/** A reference to a route (Kong: `route`). */
export interface PluginSessionRoute {
  /**
   * The route's id (a UUID), often another resource's attribute.
   *
   * @default - required when `route` is given
   */
  readonly id?: string;
}

/** A reference to a service (Kong: `service`). */
export interface PluginSessionService {
  /**
   * The service's id (a UUID), often another resource's attribute.
   *
   * @default - required when `service` is given
   */
  readonly id?: string;
}

/** Every attribute of `kong-gateway_plugin_session`, camelCased. */
export interface PluginSessionAttributes {
  /**
   * The session plugin's configuration.
   *
   * @default - every field takes Kong's default
   */
  readonly config?: PluginSessionConfig;
  /**
   * Unix epoch when the resource was created.
   *
   * Set by Kong; give it only to keep a known value. Kong: `created_at`.
   * @default - set by Kong on creation and kept by every apply
   */
  readonly createdAt?: number;
  /**
   * Whether the plugin is applied.
   *
   * Kong: `enabled`.
   * @default true
   */
  readonly enabled?: boolean | Resolvable;
  /**
   * A string representing a UUID (universally unique identifier).
   *
   * Kong: `id`. Give it to adopt an existing plugin, or to keep the id when the construct moves.
   * @default - a UUID derived from the stack and the construct path: the same on every synth
   */
  readonly id?: string;
  /**
   * A unique string representing a UTF-8 encoded name.
   *
   * ASCII characters are limited to alphanumerics and `.`, `-`, `_`, `~`. Kong: `instance_name`.
   * @default - none
   */
  readonly instanceName?: string;
  /**
   * Dynamic plugin ordering (Kong Enterprise).
   *
   * Kong: `ordering`.
   * @default - static ordering by priority
   */
  readonly ordering?: PluginSessionOrdering;
  /**
   * A list of partials to be used by the plugin (Kong Enterprise 3.10+).
   *
   * Kong: `partials`. Left out of the request when unset, so older Kong versions keep working; `[]` is
   * sent as `[]` (a field older Kong versions refuse).
   * @default - none
   */
  readonly partials?: PluginSessionPartials[] | Resolvable;
  /**
   * A set of strings representing protocols.
   *
   * Items: `grpc`, `grpcs`, `http`, `https`, `tcp`, `tls`, `tls_passthrough`, `udp`, `ws`, `wss`
   * (`ws`/`wss` Kong Enterprise); must overlap the route's protocols. Kong: `protocols`.
   * @default ["grpc", "grpcs", "http", "https"]
   */
  readonly protocols?: OneOf<PluginProtocol>[];
  /**
   * If set, the plugin will only activate when receiving requests via the specified route. Leave unset for the plugin to activate regardless of the route being used.
   *
   * Kong: `route`.
   * @default - every route
   */
  readonly route?: PluginSessionRoute;
  /**
   * If set, the plugin will only activate when receiving requests via one of the routes belonging to the specified Service. Leave unset for the plugin to activate regardless of the Service being matched.
   *
   * Kong: `service`.
   * @default - every service
   */
  readonly service?: PluginSessionService;
  /**
   * An optional set of strings associated with the Plugin for grouping and filtering.
   *
   * Printable ASCII except `,` and `/`, or non-ASCII characters. Kong: `tags`.
   * @default - none
   */
  readonly tags?: string[];
  /**
   * Unix epoch when the resource was last updated.
   *
   * Set by Kong. Kong: `updated_at`.
   * @default - set by Kong
   */
  readonly updatedAt?: number;
  /**
   * The name or UUID of the workspace.
   *
   * Kong Enterprise. Unset means unprefixed Admin API paths: the `default` workspace of Kong
   * Enterprise, and the only one of open-source Kong.
   * @default "default"
   */
  readonly workspace?: string;
  /**
   * An expression that decides per request whether the plugin runs (Kong Enterprise 3.15+).
   *
   * At most 1024 characters. Kong: `condition`.
   * @default - always runs
   */
  readonly condition?: string;
}
