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
   * How long a session lasts at most, in seconds, however active it is.
   *
   * 0 disables it. Kong: `absolute_timeout`.
   * @default 86400
   */
  readonly absoluteTimeout?: number;
  /**
   * The application the session is for, e.g. `"my-application"`.
   *
   * Kong: `audience`.
   * @default "default"
   */
  readonly audience?: string;
  /**
   * What of the client's request or connection the session is tied to.
   *
   * Items: `ip`, `scheme`, `user-agent`. Kong Enterprise 3.12+. Kong: `bind`.
   * @default - not bound
   */
  readonly bind?: OneOf<SessionBind>[];
  /**
   * The cookie's `Domain` attribute.
   *
   * Kong: `cookie_domain`.
   * @default - none: the cookie is sent to the host that set it
   */
  readonly cookieDomain?: string;
  /**
   * Whether the cookie has the `HttpOnly` attribute (scripts in the page cannot read it).
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
   * The cookie's `Path` attribute.
   *
   * Kong: `cookie_path`.
   * @default "/"
   */
  readonly cookiePath?: string;
  /**
   * The cookie's `SameSite` attribute: when browsers send it with requests from other sites.
   *
   * One of `Strict`, `Lax`, `None`, `Default`. Kong: `cookie_same_site`.
   * @default "Strict"
   */
  readonly cookieSameSite?: OneOf<CookieSameSite>;
  /**
   * Whether the cookie has the `Secure` attribute (browsers send it over HTTPS only).
   *
   * Kong: `cookie_secure`.
   * @default true
   */
  readonly cookieSecure?: boolean | Resolvable;
  /**
   * Whether the subject is stored hashed in the session metadata (with `storeMetadata`).
   *
   * Kong 3.10+. Kong: `hash_subject`.
   * @default false
   */
  readonly hashSubject?: boolean | Resolvable;
  /**
   * How long a session may stay idle, in seconds.
   *
   * 0 disables it. Kong: `idling_timeout`.
   * @default 900
   */
  readonly idlingTimeout?: number;
  /**
   * The HTTP methods of a logout request.
   *
   * Items: `GET`, `POST`, `DELETE`. Kong: `logout_methods`.
   * @default ["POST", "DELETE"]
   */
  readonly logoutMethods?: OneOf<LogoutMethod>[];
  /**
   * The form field of a POST request that logs out.
   *
   * Kong: `logout_post_arg`.
   * @default "session_logout"
   */
  readonly logoutPostArg?: string;
  /**
   * The query argument of a request that logs out.
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
   * Whether sessions persist ("remember me").
   *
   * Kong: `remember`.
   * @default false
   */
  readonly remember?: boolean | Resolvable;
  /**
   * How long a persistent ("remember me") session lasts at most, in seconds.
   *
   * Kong: `remember_absolute_timeout`.
   * @default 2592000
   */
  readonly rememberAbsoluteTimeout?: number;
  /**
   * The name of the persistent session's cookie (with `remember`).
   *
   * Kong: `remember_cookie_name`.
   * @default "remember"
   */
  readonly rememberCookieName?: string;
  /**
   * How long a persistent session lasts without being renewed, in seconds.
   *
   * Kong: `remember_rolling_timeout`.
   * @default 604800
   */
  readonly rememberRollingTimeout?: number;
  /**
   * What of the session to send to the upstream service as request headers.
   *
   * Items: `id`, `audience`, `subject`, `timeout`, `idling-timeout`, `rolling-timeout`, `absolute-timeout`. Kong: `request_headers`.
   * @default - none
   */
  readonly requestHeaders?: OneOf<SessionHeader>[];
  /**
   * What of the session to send to the client as response headers.
   *
   * Same items as `requestHeaders`. Kong: `response_headers`.
   * @default - none
   */
  readonly responseHeaders?: OneOf<SessionHeader>[];
  /**
   * How long a session lasts without being renewed, in seconds.
   *
   * Kong: `rolling_timeout`.
   * @default 3600
   */
  readonly rollingTimeout?: number;
  /**
   * The key the session cookies are signed and encrypted with.
   *
   * Pass a sensitive `TerraformVariable` or a Kong vault reference (`{vault://env/session-secret}`);
   * a literal string ends up in the synthesized JSON and in Terraform state, so synth warns about it.
   * When unset, the secret Kong already holds is kept on every apply. Kong: `secret`.
   * @default - Kong generates a random secret per node process; the first one written is kept
   */
  readonly secret?: string;
  /**
   * How long, in seconds, a replaced cookie is still accepted after its session was renewed.
   *
   * Kong: `stale_ttl`.
   * @default 10
   */
  readonly staleTtl?: number;
  /**
   * Where the (encrypted) session data is kept: in the cookie itself (`cookie`), or in Kong's database with only an id in the cookie (`kong`).
   *
   * One of `cookie`, `kong`. Kong: `storage`.
   * @default "cookie"
   */
  readonly storage?: OneOf<SessionStorage>;
  /**
   * Whether Kong also keeps metadata of sessions (which sessions a subject has for an audience).
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
   * A UUID.
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
   * @default - required unless the route is named
   */
  readonly id?: string;
  /**
   * The route's name: one the app declares stands for its construct; any other is looked up at
   * apply (the sync layout), and the plugin stores its id.
   *
   * @default - the id names the route
   */
  readonly name?: string;
}

/** A reference to a service (Kong: `service`). */
export interface PluginSessionService {
  /**
   * The service's id (a UUID), often another resource's attribute.
   *
   * @default - required unless the service is named
   */
  readonly id?: string;
  /**
   * The service's name: one the app declares stands for its construct; any other is looked up at
   * apply (the sync layout), and the plugin stores its id.
   *
   * @default - the id names the service
   */
  readonly name?: string;
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
   * A UUID.
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
   * The protocols the plugin runs for.
   *
   * Items: `grpc`, `grpcs`, `http`, `https`, `tcp`, `tls`, `tls_passthrough`, `udp`, `ws`, `wss`
   * (`ws`/`wss` Kong Enterprise); must overlap the route's protocols. Kong: `protocols`.
   * @default ["grpc", "grpcs", "http", "https"]
   */
  readonly protocols?: OneOf<PluginProtocol>[];
  /**
   * Only requests through this route run the plugin; unset, it runs whatever the route.
   *
   * Kong: `route`.
   * @default - every route
   */
  readonly route?: PluginSessionRoute;
  /**
   * Only requests through the routes of this service run the plugin; unset, it runs whatever the service.
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
