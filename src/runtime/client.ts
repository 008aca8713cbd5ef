/**
 * A small client of Kong's Admin API for plugins, on undici.
 *
 * Each request has a timeout; transient failures (connection errors, resets, timeouts, 429, 502,
 * 503, 504) are retried with exponential backoff and full jitter within an overall deadline; every
 * write is an idempotent PUT or DELETE, so a retry is always safe. Errors are typed (see
 * `errors.ts`) and their messages hold neither the admin token nor a session secret.
 */
import type { Dispatcher } from "undici";
import { KongApiError, KongResponseError } from "./errors.js";
import { apiErrorFor, messageOf } from "./kong-errors.js";
import type { Redactor, RetryEvent } from "./log.js";
import { MAX_PAGE_BYTES, RETRY_STATUSES, Transport, type Answer } from "./transport.js";

/** Kong's page size when none is asked for. */
const DEFAULT_PAGE_SIZE = 100;

export { MAX_BODY_BYTES, parseRetryAfter } from "./transport.js";

/** Options of a {@link KongAdminClient}. */
export interface KongAdminClientOptions {
  /**
   * The Admin API base URL, e.g. `http://localhost:8001`.
   *
   * A path prefix (`https://host/kong-admin`) is kept; user info (`https://user:pass@host`) is sent as
   * basic authentication and never printed.
   */
  readonly serverUrl: string;
  /**
   * The admin token, sent in `tokenHeader`.
   *
   * @default - no token header
   */
  readonly token?: string;
  /**
   * The header of the admin token (Kong Enterprise's `rbac_auth_header`).
   *
   * @default "Kong-Admin-Token"
   */
  readonly tokenHeader?: string;
  /**
   * Headers that carry credentials: sent with every request and redacted from every message.
   *
   * @default - none
   */
  readonly secretHeaders?: Readonly<Record<string, string>>;
  /**
   * How the insecure TLS option is called where the user set it, for the warning.
   *
   * @default "tls.insecureSkipVerify"
   */
  readonly insecureOptionName?: string;
  /**
   * Headers sent with every request.
   *
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Path of a PEM file of the CAs to trust for `https` (replaces the system's).
   *
   * @default - the system's CAs
   */
  readonly caCertFile?: string;
  /**
   * Path of a PEM client certificate (mutual TLS); needs `clientKeyFile`.
   *
   * @default - no client certificate
   */
  readonly clientCertFile?: string;
  /**
   * Path of the PEM key of `clientCertFile`.
   *
   * @default - no client certificate
   */
  readonly clientKeyFile?: string;
  /**
   * Skip TLS certificate verification (prints one warning). For test setups only.
   *
   * @default false
   */
  readonly insecureSkipTlsVerify?: boolean;
  /**
   * Timeout of one request, answer body included, in milliseconds.
   *
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Bound on everything the client does, retries and their waits included, in milliseconds,
   * counted from the client's construction (make one client per action).
   *
   * @default 60000
   */
  readonly deadlineMs?: number;
  /**
   * How many times a transient failure is retried at most.
   *
   * @default - as often as the deadline allows
   */
  readonly maxRetries?: number;
  /**
   * The undici dispatcher for every request, e.g. a `MockAgent` in tests. The TLS options do not
   * apply to it, and {@link KongAdminClient.close} leaves it open.
   *
   * @default - an undici `Agent` of the client's own
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Called before each retry.
   *
   * @default - nothing
   */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * Called with a warning (insecure TLS).
   *
   * @default - written to stderr
   */
  readonly onWarning?: (message: string) => void;
  /**
   * Called with a redacted line for each request and answer.
   *
   * @default - nothing
   */
  readonly onDebug?: (message: string) => void;
  /**
   * Knows the secrets to keep out of messages; the client adds the token and every `config.secret`
   * it sends or receives.
   *
   * @default - a redactor of the client's own
   */
  readonly redactor?: Redactor;
  /** @internal random numbers in [0, 1) for the backoff jitter */
  readonly random?: () => number;
}

/** A plugin as Kong returns it (defaults filled in, unset fields `null`). */
export interface KongPlugin {
  readonly id: string;
  readonly name: string;
  readonly config?: Record<string, unknown> | null;
  readonly created_at?: number;
  readonly updated_at?: number;
  readonly [field: string]: unknown;
}

/** What `GET /` tells about the node. */
export interface KongInfo {
  readonly version?: string;
  /** `community` or `enterprise` */
  readonly edition?: string;
  readonly [field: string]: unknown;
}

/** Filters of {@link KongAdminClient.listPlugins}. */
export interface ListPluginsOptions {
  /** only plugins that have all these tags */
  readonly tags?: readonly string[];
  /** page size, 1 to 1000 (Kong's default is 100) */
  readonly size?: number;
}

/** A client of Kong's Admin API for plugins. */
/** A plugin as messages name it: Kong's name, and the props of its fields. */
export interface PluginDescription {
  readonly name: string;
  /** a Kong path (`["config", "cookie_name"]`) as the construct's props (`config.cookieName`) */
  readonly propPathOf: (kongPath: ReadonlyArray<string | number>) => string;
}

/** A core entity as Kong returns it. */
export interface KongEntity {
  readonly id: string;
  readonly created_at?: number;
  readonly updated_at?: number;
  readonly tags?: unknown;
  readonly [field: string]: unknown;
}

/** How Kong's error messages name an entity and its fields. */
export interface EntityDescription {
  /** the entity in a sentence: `service`, `key-auth credential` */
  readonly entity: string;
  readonly propPathOf: (kongPath: ReadonlyArray<string | number>) => string;
}

export class KongAdminClient {
  private readonly http: Transport;

  constructor(options: KongAdminClientOptions) {
    this.http = new Transport(options);
  }

  /** The server URL without user info, for messages. */
  get serverUrl(): string {
    return this.http.serverUrl;
  }

  /** `GET /`: the node's version and edition. */
  async info(): Promise<KongInfo> {
    const answer = await this.http.send("GET", "/");
    if (answer.status !== 200) throw await this.errorFor(answer, undefined);
    return this.jsonObject(answer) as KongInfo;
  }

  /** `GET /{workspace}/plugins/{idOrName}`: the plugin, or undefined when there is none. */
  async getPlugin(workspace: string | undefined, idOrName: string): Promise<KongPlugin | undefined> {
    const answer = await this.http.send("GET", this.pluginPath(workspace, idOrName));
    if (isNotFound(answer)) return undefined;
    if (answer.status !== 200) throw await this.errorFor(answer, workspace);
    return this.plugin(this.jsonObject(answer), answer);
  }

  /**
   * `PUT /{workspace}/plugins/{id}`: creates or wholly replaces the plugin; returns it as Kong stored it.
   *
   * @param describe how Kong's error messages name the plugin and its fields
   * @default - the session plugin's props
   */
  async putPlugin(workspace: string | undefined, id: string, body: Readonly<Record<string, unknown>>, describe?: PluginDescription): Promise<KongPlugin> {
    const answer = await this.http.send("PUT", this.pluginPath(workspace, id), body);
    if (answer.status !== 200 && answer.status !== 201) throw await this.errorFor(answer, workspace, describe);
    return this.plugin(this.jsonObject(answer), answer);
  }

  /** `DELETE /{workspace}/plugins/{id}`: true on 204, false on 404 (nothing to delete). */
  async deletePlugin(workspace: string | undefined, id: string): Promise<boolean> {
    const answer = await this.http.send("DELETE", this.pluginPath(workspace, id));
    if (answer.status === 204 || answer.status === 200) return true;
    if (isNotFound(answer)) return false;
    throw await this.errorFor(answer, workspace);
  }

  /**
   * `GET /{workspace}/plugins`, every page (following `offset`). A page larger than 16 MiB (plugins
   * with very large configurations) is asked for again with half as many plugins, down to one.
   */
  async *listPlugins(workspace: string | undefined, options: ListPluginsOptions = {}): AsyncGenerator<KongPlugin, void, undefined> {
    yield* this.pages(this.pluginsPath(workspace), workspace, options, (item, answer) => this.plugin(item, answer), "plugins");
  }

  /** Every page of a listing (following `offset`); a page larger than 16 MiB is asked for again with half as many items, down to one. */
  private async *pages<T>(path: string, workspace: string | undefined, options: ListPluginsOptions, item: (value: unknown, answer: Answer) => T, what: string): AsyncGenerator<T, void, undefined> {
    const offsets = new Set<string>();
    let offset: string | undefined;
    let size = options.size;
    for (;;) {
      const query = new URLSearchParams();
      if (size !== undefined) query.set("size", String(size));
      if (options.tags && options.tags.length > 0) query.set("tags", options.tags.join(","));
      if (offset !== undefined) query.set("offset", offset);
      const search = query.toString();
      let answer: Answer;
      try {
        answer = await this.http.send("GET", `${path}${search ? `?${search}` : ""}`, undefined, true, MAX_PAGE_BYTES);
      } catch (error) {
        const current = size ?? DEFAULT_PAGE_SIZE;
        if (!(error instanceof KongResponseError && /: larger than \d+ MiB$/.test(error.message)) || current <= 1) throw error;
        size = Math.max(1, Math.floor(current / 2));
        continue;
      }
      if (answer.status !== 200) throw await this.errorFor(answer, workspace);
      const page = this.jsonObject(answer);
      const data = isEmptyObject(page.data) ? [] : page.data;
      if (!Array.isArray(data)) throw this.invalid(answer, `expected a page of ${what} (no data list)`);
      for (const value of data) yield item(value, answer);
      const next = page.offset;
      if (typeof next !== "string" || next === "") return;
      if (offsets.has(next)) throw this.invalid(answer, "Kong returned the same page offset twice");
      offsets.add(next);
      offset = next;
    }
  }

  /** `GET /{workspace}/{collection}/{id}`: the entity, or undefined when there is none. */
  async getEntity(collection: string, workspace: string | undefined, id: string, describe?: EntityDescription): Promise<KongEntity | undefined> {
    const answer = await this.http.send("GET", this.entityPath(collection, workspace, id));
    if (isNotFound(answer)) return undefined;
    if (answer.status !== 200) throw await this.errorFor(answer, workspace, describe);
    return this.entity(this.jsonObject(answer), answer);
  }

  /** `PUT /{workspace}/{collection}/{id}`: creates or wholly replaces the entity; returns it as Kong stored it. */
  async putEntity(collection: string, workspace: string | undefined, id: string, body: Readonly<Record<string, unknown>>, describe?: EntityDescription): Promise<KongEntity> {
    const answer = await this.http.send("PUT", this.entityPath(collection, workspace, id), body);
    if (answer.status !== 200 && answer.status !== 201) throw await this.errorFor(answer, workspace, describe);
    return this.entity(this.jsonObject(answer), answer);
  }

  /** `POST /{workspace}/{collection}` with the id in the body: creates the entity (where Kong's `PUT` only updates). */
  async postEntity(collection: string, workspace: string | undefined, id: string, body: Readonly<Record<string, unknown>>, describe?: EntityDescription): Promise<KongEntity> {
    const answer = await this.http.send("POST", `${workspace ? `/${encodeURIComponent(workspace)}` : ""}/${collection}`, { ...body, id });
    // a retry after a lost answer meets the entity the first attempt created (Kong's primary key violation)
    if ((answer.status === 400 || answer.status === 409) && answer.kind === "json" && (answer.body as { code?: unknown } | null)?.code === 3 && answer.attempts > 1) {
      const created = await this.getEntity(collection, workspace, id, describe);
      if (created) return created;
    }
    if (answer.status !== 200 && answer.status !== 201) throw await this.errorFor(answer, workspace, describe);
    return this.entity(this.jsonObject(answer), answer);
  }

  /** `DELETE /{workspace}/{collection}/{id}`: true on 204, false on 404 (nothing to delete). */
  async deleteEntity(collection: string, workspace: string | undefined, id: string, describe?: EntityDescription): Promise<boolean> {
    const answer = await this.http.send("DELETE", this.entityPath(collection, workspace, id));
    if (answer.status === 204 || answer.status === 200) return true;
    if (isNotFound(answer)) return false;
    throw await this.errorFor(answer, workspace, describe);
  }

  /** `GET /{workspace}/{collection}?tags=…`, every page. */
  async *listEntities(collection: string, workspace: string | undefined, options: ListPluginsOptions = {}): AsyncGenerator<KongEntity, void, undefined> {
    yield* this.pages(`${workspace ? `/${encodeURIComponent(workspace)}` : ""}/${collection}`, workspace, options, (item, answer) => this.entity(item, answer), "entities");
  }

  /**
   * `GET /{workspace}/tags/{tag}`, every page: what carries the tag, of every kind (Kong's DAO name
   * and id of each), or undefined where this Kong has no such endpoint.
   */
  async tagged(workspace: string | undefined, tag: string): Promise<Array<{ readonly kind: string; readonly id: string }> | undefined> {
    const found: Array<{ kind: string; id: string }> = [];
    const path = `${workspace ? `/${encodeURIComponent(workspace)}` : ""}/tags/${encodeURIComponent(tag)}`;
    try {
      for await (const item of this.pages(path, workspace, { size: 1000 }, (value, answer) => {
        const row = value as { entity_name?: unknown; entity_id?: unknown } | null;
        if (row === null || typeof row !== "object" || typeof row.entity_name !== "string" || typeof row.entity_id !== "string") {
          throw this.invalid(answer, "expected tagged entities with an entity_name and an entity_id");
        }
        return { kind: row.entity_name, id: row.entity_id };
      }, "tagged entities")) found.push(item);
    } catch (error) {
      if (error instanceof KongApiError && error.status === 404) return undefined;
      throw error;
    }
    return found;
  }

  /**
   * `GET /workspaces`, every page: the names of Kong Enterprise's workspaces, or undefined when this
   * Kong or this token cannot list them (open-source Kong answers 404, a token without the right 403).
   */
  async workspaceNames(): Promise<string[] | undefined> {
    const names: string[] = [];
    let offset: string | undefined;
    const offsets = new Set<string>();
    for (;;) {
      const answer = await this.http.send("GET", `/workspaces?size=1000${offset === undefined ? "" : `&offset=${encodeURIComponent(offset)}`}`);
      if (answer.status === 401 || answer.status === 403 || answer.status === 404) return undefined;
      if (answer.status !== 200) throw await this.errorFor(answer, undefined);
      const page = this.jsonObject(answer);
      const data = isEmptyObject(page.data) ? [] : page.data;
      if (!Array.isArray(data)) throw this.invalid(answer, "expected a page of workspaces (no data list)");
      for (const item of data) if (item !== null && typeof item === "object" && typeof (item as { name?: unknown }).name === "string") names.push((item as { name: string }).name);
      const next = page.offset;
      if (typeof next !== "string" || next === "") return names;
      if (offsets.has(next)) throw this.invalid(answer, "Kong returned the same page offset twice");
      offsets.add(next);
      offset = next;
    }
  }

  /** A client sharing this one's settings and connections, with a deadline of its own (see {@link Transport.fork}). */
  fork(): KongAdminClient {
    return Object.create(KongAdminClient.prototype, { http: { value: this.http.fork() } }) as KongAdminClient;
  }

  /** Starts the deadline again (`deadlineMs` from now), for the next plugin of a multi-plugin action. */
  restartDeadline(): void {
    this.http.restartDeadline();
  }

  /** The URL of a plugin, as the client requests it (without user info), for messages. */
  pluginUrl(workspace: string | undefined, idOrName: string): string {
    return this.http.url(this.pluginPath(workspace, idOrName));
  }

  /** Closes the client's own connections (not an injected dispatcher). */
  async close(): Promise<void> {
    await this.http.close();
  }

  private entityPath(collection: string, workspace: string | undefined, id: string): string {
    return `${workspace ? `/${encodeURIComponent(workspace)}` : ""}/${collection}/${encodeURIComponent(id)}`;
  }

  private entity(value: unknown, answer: Answer): KongEntity {
    const entity = value as Partial<KongEntity> | null;
    if (entity === null || typeof entity !== "object" || typeof entity.id !== "string") throw this.invalid(answer, "expected an entity with an id");
    return entity as KongEntity;
  }

  private pluginsPath(workspace: string | undefined): string {
    return `${workspace ? `/${encodeURIComponent(workspace)}` : ""}/plugins`;
  }

  private pluginPath(workspace: string | undefined, idOrName: string): string {
    return `${this.pluginsPath(workspace)}/${encodeURIComponent(idOrName)}`;
  }

  /** The answer as a JSON object, or a KongResponseError. */
  private jsonObject(answer: Answer): Record<string, unknown> {
    if (answer.kind === "html") {
      throw this.invalid(
        answer,
        `expected JSON but got an HTML page: point the server URL at Kong's Admin API (usually port 8001), not Kong Manager or a proxy`,
      );
    }
    if (answer.kind !== "json" || answer.body === null || typeof answer.body !== "object" || Array.isArray(answer.body)) {
      throw this.invalid(answer, answer.kind === "json" ? "expected a JSON object" : "expected JSON");
    }
    return answer.body as Record<string, unknown>;
  }

  private plugin(value: unknown, answer: Answer): KongPlugin {
    const plugin = value as Partial<KongPlugin> | null;
    if (plugin === null || typeof plugin !== "object" || typeof plugin.id !== "string" || typeof plugin.name !== "string") {
      throw this.invalid(answer, "expected a plugin with an id and a name");
    }
    return plugin as KongPlugin;
  }

  private invalid(answer: Answer, problem: string): KongResponseError {
    return new KongResponseError(this.http.redactor.redact(`invalid answer to ${answer.method} ${answer.path} (${answer.status}): ${problem}`), {
      status: answer.status,
      method: answer.method,
      url: answer.url,
    });
  }

  private async errorFor(answer: Answer, workspace: string | undefined, describe?: PluginDescription | EntityDescription): Promise<KongApiError | KongResponseError> {
    if (answer.kind === "html" && !RETRY_STATUSES.has(answer.status)) {
      return this.invalid(answer, "expected JSON but got an HTML page: point the server URL at Kong's Admin API (usually port 8001)");
    }
    if (answer.status === 404 && !isKongNotFoundBody(answer) && !isProxyAnswer(answer)) {
      const got = answer.kind === "json" ? "JSON that is not Kong's" : answer.kind === "empty" ? "an empty body" : "a text answer";
      return this.invalid(
        answer,
        `a 404 with ${got}, where Kong answers {"message":"Not found"}: something other than Kong's Admin API answered (a proxy or another server), so nothing is known about the plugin; point the server URL at Kong's Admin API`,
      );
    }
    let info: KongInfo | undefined;
    if (answer.status === 404 && workspace && !isProxyAnswer(answer)) {
      // A workspace path answered 404 where Kong cannot (PUT upserts): is this open-source Kong?
      info = await this.http.send("GET", "/", undefined, false).then(
        (a) => (a.status === 200 && a.kind === "json" ? (a.body as KongInfo) : undefined),
        () => undefined,
      );
    }
    const propPathOf =
      describe?.propPathOf ??
      (answer.status === 400 ? (await import("./schema-adapter.js")).kongPathToPropPath : (path: ReadonlyArray<string | number>) => path.join("."));
    return apiErrorFor(
      {
        status: answer.status,
        method: answer.method,
        path: answer.path,
        url: answer.url,
        serverUrl: this.http.serverUrl,
        body: answer.body,
        attempts: answer.attempts,
        workspace,
        hasToken: this.http.hasToken,
        ...(typeof info?.edition === "string" ? { edition: info.edition } : {}),
        ...(typeof info?.version === "string" ? { version: info.version } : {}),
        ...(describe && "entity" in describe ? { entity: describe.entity } : describe ? { plugin: describe.name } : {}),
      },
      this.http.redactor,
      propPathOf,
    );
  }
}

/**
 * Kong's "no such plugin": a 404 whose body is Kong's own JSON, `{"message":"Not found"}`. Any other
 * 404 (an HTML or text page of a web server, a load balancer or a proxy, JSON of another API) says
 * nothing about the plugin: taking it for "absent" would let a delete succeed without deleting
 * anything, and Terraform would forget a plugin that stays in Kong.
 */
function isNotFound(answer: Answer): boolean {
  return answer.status === 404 && isKongNotFoundBody(answer);
}

function isKongNotFoundBody(answer: Answer): boolean {
  return answer.kind === "json" && /^not found\.?$/i.test(messageOf(answer.body) ?? "") && isObjectBody(answer.body);
}

function isObjectBody(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isProxyAnswer(answer: Answer): boolean {
  return /no route matched/i.test(messageOf(answer.body) ?? "");
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}
