/**
 * Public types of the Kong Admin API emulator (`cdktf-kong-gateway/testing`).
 */

/** Options of {@link KongEmulator.start}. */
export interface KongEmulatorOptions {
  /**
   * Which Kong to behave like.
   *
   * Enterprise serves every path under `/{workspace}/…` too and knows `ws`/`wss`, `ordering`,
   * `consumer_group`, `partials` (3.10+), `config.bind` (3.12+) and `condition` (3.15+).
   * @default "enterprise"
   */
  readonly edition?: "community" | "enterprise";
  /**
   * Kong version reported by `GET /` and deciding which fields exist.
   *
   * `config.read_body_for_logout` needs 3.5+, `config.hash_subject`/`config.store_metadata` 3.10+
   * (Enterprise backports are not modelled); sending a field the version lacks gives Kong's
   * `unknown field` schema violation.
   * @default "3.9.1"
   */
  readonly version?: string;
  /**
   * Workspaces that exist besides `default` (Enterprise only).
   * @default - only `default`
   */
  readonly workspaces?: readonly string[];
  /**
   * When set, every request must carry this token in the RBAC header.
   *
   * Otherwise the answer is 401 `{"message":"Invalid RBAC credentials"}`.
   * @default - no authentication
   */
  readonly adminToken?: string;
  /**
   * Name of the RBAC header (Kong's `rbac_auth_header`).
   * @default "Kong-Admin-Token"
   */
  readonly rbacHeader?: string;
  /**
   * Serve https with this key and certificate (PEM).
   *
   * With `requestCert` the server asks for a client certificate and only accepts ones signed by `ca`.
   * @default - plain http
   */
  readonly tls?: {
    readonly key: string | Buffer;
    readonly cert: string | Buffer;
    readonly ca?: string | Buffer;
    readonly requestCert?: boolean;
  };
  /**
   * Address to listen on.
   * @default "127.0.0.1"
   */
  readonly host?: string;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Kong's per-node session secret: the `config.secret` of every session plugin created without one.
   * @default - a random 44-character alphanumeric string generated once per emulator, like Kong
   */
  readonly nodeSecret?: string;
}

/** A plugin as Kong returns it: every field present, absent values `null`. */
export interface KongPluginEntity {
  /** UUID (lower case, as Postgres returns it) */
  readonly id: string;
  /** plugin name, e.g. `session` */
  readonly name: string;
  /** unique name, or null */
  readonly instance_name: string | null;
  /** creation time, epoch seconds */
  readonly created_at: number;
  /** last write, epoch seconds */
  readonly updated_at: number;
  /** the route it is attached to, or null */
  readonly route: { readonly id: string } | null;
  /** the service it is attached to, or null */
  readonly service: { readonly id: string } | null;
  /** the consumer it applies to (always null for `session`) */
  readonly consumer: { readonly id: string } | null;
  /** Enterprise only: the consumer group it applies to (always null for `session`) */
  readonly consumer_group?: { readonly id: string } | null;
  /** the plugin configuration with every default filled in */
  readonly config: Record<string, unknown>;
  /** protocols the plugin runs on */
  readonly protocols: readonly string[];
  /** whether the plugin runs */
  readonly enabled: boolean;
  /** tags, or null */
  readonly tags: readonly string[] | null;
  /** Enterprise only: dynamic ordering */
  readonly ordering?: Record<string, unknown> | null;
  /** Enterprise 3.10+ only: partials */
  readonly partials?: ReadonlyArray<Record<string, unknown>> | null;
  /** Enterprise 3.15+ only: condition expression */
  readonly condition?: string | null;
}

/**
 * A core entity or credential as Kong returns it (`GET /services/{id}`, …): every field of its
 * schema, absent values `null`, foreign keys as `{ id }`.
 */
export type KongEntity = Readonly<Record<string, unknown>>;

/** What {@link KongEmulator.addService} stores; fields not given take Kong's defaults. */
export interface KongServiceInput {
  /**
   * UUID of the service.
   * @default - a random UUID
   */
  readonly id?: string;
  /**
   * Unique name (plugins and routes may reference the service by it).
   * @default - none
   */
  readonly name?: string;
  /**
   * Upstream host.
   * @default "localhost"
   */
  readonly host?: string;
  /**
   * Upstream port.
   * @default 80
   */
  readonly port?: number;
  /**
   * Upstream protocol.
   * @default "http"
   */
  readonly protocol?: string;
  /**
   * Upstream path.
   * @default - none
   */
  readonly path?: string;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: readonly string[];
  /**
   * Workspace to store it in (Enterprise only besides `default`).
   * @default "default"
   */
  readonly workspace?: string;
}

/** What {@link KongEmulator.addRoute} stores; fields not given take Kong's defaults. */
export interface KongRouteInput {
  /**
   * UUID of the route.
   * @default - a random UUID
   */
  readonly id?: string;
  /**
   * Unique name.
   * @default - none
   */
  readonly name?: string;
  /**
   * Protocols (duplicates removed).
   * @default ["http","https"]
   */
  readonly protocols?: readonly string[];
  /**
   * The service it points to, which must exist.
   * @default - none
   */
  readonly service?: { readonly id: string };
  /**
   * Matching paths.
   * @default - none
   */
  readonly paths?: readonly string[];
  /**
   * Matching hosts.
   * @default - none
   */
  readonly hosts?: readonly string[];
  /**
   * Matching methods.
   * @default - none
   */
  readonly methods?: readonly string[];
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: readonly string[];
  /**
   * Workspace to store it in (Enterprise only besides `default`).
   * @default "default"
   */
  readonly workspace?: string;
}

/** One request as the emulator saw it. */
export interface RecordedRequest {
  /** HTTP method */
  readonly method: string;
  /** URL path as sent (not decoded, without the query string) */
  readonly path: string;
  /** query parameters; a repeated parameter gives an array */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** request headers (lower-case names); the RBAC token value is replaced by `[redacted]` */
  readonly headers: Readonly<Record<string, string>>;
  /** the parsed JSON body, or undefined when there was none or it was not JSON */
  readonly body: unknown;
  /** HTTP status answered; 0 when no answer was sent (reset, hang, client gone) */
  readonly status: number;
  /** the JSON body answered, when there was one */
  readonly responseBody?: unknown;
  /** milliseconds from arrival to the answer (or to giving up) */
  readonly durationMs: number;
  /** the workspace named in the path prefix (`/{workspace}/…`), if any */
  readonly workspace?: string;
  /** the fault injected into this request, if any */
  readonly fault?: FaultKind;
}

/** Kinds of injected faults, as recorded. */
export type FaultKind =
  | "429" | "500" | "502" | "503" | "504"
  | "delay" | "reset" | "hang"
  | "invalid-json" | "html" | "huge" | "wrong-plugin-name";

/** A failure answer for {@link KongFaultControls.failNext}. */
export interface FailureSpec {
  /** the status to answer with */
  readonly status: 429 | 500 | 502 | 503 | 504;
  /**
   * Value of the `Retry-After` header.
   * @default - no header
   */
  readonly retryAfterSeconds?: number;
}

/** Options of {@link KongFaultControls.random}. */
export interface RandomFaultOptions {
  /** probability (0..1) that a request gets a fault */
  readonly rate: number;
  /**
   * Seed of the pseudo-random generator; the same seed gives the same faults for the same requests.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Fault kinds to draw from, uniformly.
   * @default ["429","502","503","504","reset","delay"]
   */
  readonly kinds?: ReadonlyArray<"429" | "502" | "503" | "504" | "reset" | "delay">;
  /**
   * Delay of the `delay` kind, in milliseconds.
   * @default 1000
   */
  readonly delayMs?: number;
}

/** Ways {@link KongFaultControls.malformedNext} breaks an answer. */
export type MalformedKind = "invalid-json" | "html" | "huge" | "wrong-plugin-name";

/** Fault injection; faults apply to the next requests in arrival order. */
export interface KongFaultControls {
  /** Answer the next `count` requests with `failure.status` without processing them. */
  failNext(count: number, failure: FailureSpec): void;
  /** Process the next `count` requests but answer only after `ms` milliseconds. */
  delayNext(count: number, ms: number): void;
  /** Destroy the socket of the next `count` requests without answering or processing. */
  resetNext(count: number): void;
  /** Accept the next `count` requests and never answer them (until the client gives up or `stop`). */
  hangNext(count: number): void;
  /** Make each following request fail with probability `rate`, the kind drawn by a seeded generator. */
  random(options: RandomFaultOptions): void;
  /** Process the next `count` requests but break their answers in the way `kind` says. */
  malformedNext(count: number, kind: MalformedKind): void;
  /** Forget all queued faults and random mode. */
  clear(): void;
}

/** Summary of the recorded requests. */
export interface EmulatorStats {
  /** number of recorded requests */
  readonly requests: number;
  /** how many of them got an injected fault */
  readonly faultsInjected: number;
  /** request count per answered status (`"0"` for none) */
  readonly byStatus: Readonly<Record<string, number>>;
  /** latency percentiles (nearest rank) over `durationMs` */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}
