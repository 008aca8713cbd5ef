/**
 * {@link KongEmulator}: a real HTTP(S) server on loopback that answers like Kong's Admin API for
 * plugins and the core entities (services, routes, consumers, upstreams and targets, certificates,
 * SNIs, CA certificates, vaults, keys and key sets, the auth plugins' credentials; consumer groups
 * on Enterprise), with a request log and fault injection. Started and stopped in-process.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import { AdminRouter } from "./admin-routes.js";
import { EntityDao } from "./entity-dao.js";
import type { EntityName } from "./entity-schemas.js";
import { faultKindOf, FaultPlan, type FaultAction } from "./faults.js";
import { PluginSchemas, randomNodeSecret } from "./kong-schema.js";
import { PluginDao, type ApiResult } from "./plugin-dao.js";
import { queryRecord, redactHeaders, RequestLog } from "./request-log.js";
import { isTable, type JsonObject } from "./schema-engine.js";
import { EmulatorStore } from "./store.js";
import type { EmulatorStats, KongRouteInput, KongEmulatorOptions, KongEntity, KongFaultControls, KongPluginEntity, KongServiceInput, RecordedRequest } from "./types.js";

const BODY_LIMIT = 10 * 1024 * 1024;
const HUGE_PADDING = 16 * 1024 * 1024;
const UNEXPECTED: ApiResult = { status: 500, body: { message: "An unexpected error occurred" } };
const FAIL_MESSAGES: Record<number, string> = {
  429: "API rate limit exceeded",
  500: "An unexpected error occurred",
  502: "An invalid response was received from the upstream server",
  503: "The upstream server is currently unavailable",
  504: "The upstream server is timing out",
};

interface InFlight {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly started: number;
  readonly fault: FaultAction | undefined;
  readonly url: { readonly pathname: string; readonly searchParams: URLSearchParams };
  body?: unknown;
  workspace?: string;
  done: boolean;
}

type BodyRead = { readonly buf: Buffer } | { readonly tooLarge: true } | { readonly aborted: true };

/** An offline Kong Admin API for tests: `const kong = await KongEmulator.start(); … await kong.stop();` */
export class KongEmulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (`https://…` with `tls`). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Kong's per-node session secret: the `config.secret` of session plugins created without one. */
  readonly nodeSecret: string;
  /** Fault injection for the next requests (arrival order). */
  readonly faults: KongFaultControls;

  private readonly faultPlan: FaultPlan;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log = new RequestLog();
  private arrivals = 0;
  private arrivalWaiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  private readonly rbacHeader: string;
  private stopping?: Promise<void>;

  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    private readonly options: KongEmulatorOptions,
    private readonly store: EmulatorStore,
    private readonly dao: PluginDao,
    private readonly entityDao: EntityDao,
    private readonly router: AdminRouter,
    nodeSecret: string,
    faultPlan: FaultPlan,
  ) {
    this.faultPlan = faultPlan;
    this.faults = faultPlan;
    this.nodeSecret = nodeSecret;
    this.rbacHeader = options.rbacHeader ?? "Kong-Admin-Token";
    const address = server.address() as AddressInfo;
    this.port = address.port;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.url = `${options.tls ? "https" : "http"}://${host}:${address.port}`;
  }

  /** Starts a server (random port on 127.0.0.1 unless told otherwise) and resolves once it listens. */
  static async start(options: KongEmulatorOptions = {}): Promise<KongEmulator> {
    const edition = options.edition ?? "enterprise";
    if (edition !== "community" && edition !== "enterprise") throw new TypeError(`edition must be "community" or "enterprise", got '${String(edition)}'`);
    const version = options.version ?? "3.9.1";
    if (!/^\d+\.\d+(\.\d+){0,2}$/.test(version)) throw new TypeError(`version must look like 3.9.1, got '${version}'`);
    if (edition === "community" && (options.workspaces?.length ?? 0) > 0) throw new TypeError("workspaces exist only in Kong Enterprise");
    if (options.adminToken !== undefined && options.adminToken.length === 0) throw new TypeError("adminToken must not be empty");
    const nodeSecret = options.nodeSecret ?? randomNodeSecret();
    const schemas = new PluginSchemas({ edition, version, nodeSecret });
    const store = new EmulatorStore(options.workspaces ?? []);
    const dao = new PluginDao(store, schemas);
    const entityDao = new EntityDao(store, { edition, version });
    const router = new AdminRouter(store, dao, entityDao, schemas, { edition, version, rbacHeader: options.rbacHeader ?? "Kong-Admin-Token", rbac: options.adminToken !== undefined });
    const faultPlan = new FaultPlan();
    let emulator: KongEmulator | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => emulator?.onRequest(req, res);
    const tls = options.tls;
    const server: Server = tls
      ? createHttpsServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requestCert ?? false, rejectUnauthorized: tls.requestCert ?? false }, handler)
      : createHttpServer(handler);
    const sockets = new Set<Socket>();
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
      if (err.code !== "ECONNRESET" && socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", () => undefined);
    emulator = new KongEmulator(server, sockets, { ...options, edition, version }, store, dao, entityDao, router, nodeSecret, faultPlan);
    return emulator;
  }

  /** Closes the server and every connection (keep-alive, hung and delayed ones too); idempotent. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  /** Forgets every entity, recorded request and fault; keeps the options and the node secret. */
  reset(): void {
    this.arrivals = 0;
    this.store.reset();
    this.log.clear();
    this.faultPlan.clear();
  }

  /** Adds a workspace (Kong Enterprise only). */
  addWorkspace(name: string): void {
    if (this.options.edition !== "enterprise") throw new Error("workspaces exist only in Kong Enterprise");
    this.store.addWorkspace(name);
  }

  /**
   * Stores a service without HTTP and without validation; Kong's defaults fill what is not given
   * (`host` defaults to `localhost`).
   */
  addService(input: KongServiceInput = {}): { id: string } {
    const { workspace, ...fields } = input;
    return { id: this.seed("services", { host: "localhost", ...fields }, workspace)["id"] as string };
  }

  /** Stores a route without HTTP and without validation; `protocols` default to `["http","https"]` like Kong's. */
  addRoute(input: KongRouteInput = {}): { id: string } {
    const { workspace, ...fields } = input;
    const protocols = fields.protocols ? [...new Set(fields.protocols)] : undefined;
    return { id: this.seed("routes", { ...fields, ...(protocols ? { protocols } : {}) }, workspace)["id"] as string };
  }

  /**
   * Stored entities of one DAO (`services`, `routes`, `consumers`, `keyauth_credentials`, …) in a
   * workspace (default `default`), as Kong returns them, in Kong's listing order (by id).
   */
  entities(kind: EntityName, workspace?: string): KongEntity[] {
    const def = this.requireDef(kind);
    const ws = this.workspaceOf(workspace);
    return this.entityDao.sorted(ws, def).map((row) => this.entityDao.output(ws, def, row));
  }

  /** One stored entity by id (any case) or endpoint key (a service's name, a consumer's username, …), as Kong returns it. */
  entity(kind: EntityName, idOrKey: string, workspace?: string): KongEntity | undefined {
    const def = this.requireDef(kind);
    const ws = this.workspaceOf(workspace);
    const key = this.entityDao.keyFromParam(def, idOrKey);
    const row = "code" in key ? undefined : this.entityDao.select(ws, def, key);
    return row ? this.entityDao.output(ws, def, row) : undefined;
  }

  private seed(kind: EntityName, input: Record<string, unknown>, workspace: string | undefined): Record<string, unknown> {
    return this.entityDao.seed(this.workspaceOf(workspace), this.requireDef(kind), input);
  }

  private requireDef(kind: EntityName): NonNullable<ReturnType<EntityDao["def"]>> {
    const def = this.entityDao.def(kind);
    if (!def) throw new Error(`Kong ${this.options.edition} has no '${kind}' entity`);
    return def;
  }

  /** Stored plugins of a workspace (default `default`), as Kong returns them, in insertion order. */
  plugins(workspace?: string): KongPluginEntity[] {
    return [...this.workspaceOf(workspace).plugins.values()].map((row) => this.dao.output(row) as unknown as KongPluginEntity);
  }

  /** One stored plugin by id, as Kong returns it. */
  plugin(id: string, workspace?: string): KongPluginEntity | undefined {
    const row = this.workspaceOf(workspace).plugins.get(id.toLowerCase());
    return row ? (this.dao.output(row) as unknown as KongPluginEntity) : undefined;
  }

  /** Stores a plugin without HTTP and without validation (other plugins, drift); defaults filled in. */
  seedPlugin(entity: Partial<KongPluginEntity> & { name: string }, workspace?: string): KongPluginEntity {
    return this.dao.output(this.dao.seed(this.workspaceOf(workspace), entity as unknown as JsonObject)) as unknown as KongPluginEntity;
  }

  /** Every request so far, in the order answers were decided (RBAC token values redacted). */
  get requests(): ReadonlyArray<RecordedRequest> {
    return this.log.requests;
  }

  /**
   * Resolves once at least `count` requests are recorded (counting from the last `clearRequests`),
   * e.g. to wait until a request the client gave up on has been closed on the server side too.
   */
  waitForRequests(count: number): Promise<void> {
    return this.log.waitFor(count);
  }

  /**
   * Resolves once at least `count` requests have arrived (counting from `start` or `reset`), answered
   * or not: e.g. to know a request is hanging before acting on it.
   */
  waitForArrivals(count: number): Promise<void> {
    if (this.arrivals >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivalWaiters.push({ count, resolve }));
  }

  /** Forgets the recorded requests. */
  clearRequests(): void {
    this.log.clear();
  }

  /** Totals, status counts, injected faults and latency percentiles of the recorded requests. */
  stats(): EmulatorStats {
    return this.log.stats();
  }

  private workspaceOf(name: string | undefined): ReturnType<EmulatorStore["requireWorkspace"]> {
    if (name !== undefined && name !== "default" && this.options.edition !== "enterprise") throw new Error("workspaces exist only in Kong Enterprise");
    return this.store.requireWorkspace(name ?? "default");
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = parseTarget(req.url ?? "/");
    const flight: InFlight = { req, res, started: performance.now(), fault: this.faultPlan.take(), url, done: false };
    this.arrivals++;
    const ready = this.arrivalWaiters.filter((w) => this.arrivals >= w.count);
    this.arrivalWaiters = this.arrivalWaiters.filter((w) => this.arrivals < w.count);
    for (const waiter of ready) waiter.resolve();
    res.on("close", () => {
      if (!flight.done) this.record(flight, 0, undefined);
    });
    if (flight.fault?.kind === "reset") {
      this.record(flight, 0, undefined);
      const socket = req.socket as Socket & { resetAndDestroy?: () => void };
      try {
        socket.resetAndDestroy!();
      } catch {
        socket.destroy();
      }
      return;
    }
    this.readBody(req)
      .then((read) => this.afterBody(flight, read))
      .catch(() => this.send(flight, UNEXPECTED));
  }

  private readBody(req: IncomingMessage): Promise<BodyRead> {
    return new Promise((resolve) => {
      if (Number(req.headers["content-length"] ?? 0) > BODY_LIMIT) return resolve({ tooLarge: true });
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (value: BodyRead): void => {
        if (!settled) {
          settled = true;
          resolve(value);
        }
      };
      req.on("data", (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > BODY_LIMIT) {
          chunks.length = 0;
          settle({ tooLarge: true });
        } else chunks.push(chunk);
      });
      req.on("end", () => settle({ buf: Buffer.concat(chunks) }));
      req.on("error", () => settle({ aborted: true }));
      req.on("close", () => settle({ aborted: true }));
    });
  }

  private afterBody(flight: InFlight, read: BodyRead): void {
    if ("aborted" in read) return;
    const method = (flight.req.method ?? "GET").toUpperCase();
    const parsed = "buf" in read ? this.parseBody(flight, method, read.buf) : undefined;
    const fault = flight.fault;
    if (fault?.kind === "hang") return;
    if (fault?.kind === "fail") {
      const headers = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : undefined;
      return this.send(flight, { status: fault.status, body: { message: FAIL_MESSAGES[fault.status] }, headers });
    }
    if (!parsed) return this.send(flight, { status: 413, body: { message: "Payload too large" }, headers: { connection: "close" } });
    if (!parsed.ok) return this.send(flight, parsed.result);
    let result: ApiResult;
    if (!this.authorised(flight.req)) result = { status: 401, body: { message: "Invalid RBAC credentials" } };
    else {
      try {
        const answer = this.router.handle({ method, path: flight.url.pathname, query: flight.url.searchParams, body: parsed.body });
        flight.workspace = answer.workspace;
        result = answer;
      } catch {
        result = UNEXPECTED;
      }
    }
    if (fault?.kind === "delay") {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.send(flight, result);
      }, fault.ms);
      this.timers.add(timer);
      return;
    }
    this.send(flight, result);
  }

  private parseBody(flight: InFlight, method: string, buf: Buffer): { ok: true; body: JsonObject } | { ok: false; result: ApiResult } {
    if (method !== "POST" && method !== "PUT" && method !== "PATCH") return { ok: true, body: {} };
    const contentType = String(flight.req.headers["content-type"] ?? "").toLowerCase();
    const cannotParse = { ok: false as const, result: { status: 400, body: { message: "Cannot parse JSON body" } } };
    if (!contentType.includes("application/json")) {
      if (buf.length === 0) return { ok: true, body: {} };
      return { ok: false, result: { status: 415, body: { message: "the emulator only understands application/json bodies" } } };
    }
    let value: unknown;
    try {
      value = JSON.parse(buf.toString("utf8"));
    } catch {
      return cannotParse;
    }
    // lua-cjson refuses a `\udXXX` escape that is not half of a surrogate pair
    if (!isWellFormedJson(value)) return cannotParse;
    flight.body = value;
    if (!isTable(value)) return cannotParse;
    if (Array.isArray(value)) return { ok: true, body: Object.fromEntries(value.map((v, i) => [String(i + 1), v])) };
    return { ok: true, body: value as JsonObject };
  }

  private authorised(req: IncomingMessage): boolean {
    const expected = this.options.adminToken;
    if (expected === undefined) return true;
    const given = req.headers[this.rbacHeader.toLowerCase()];
    if (typeof given !== "string") return false;
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private send(flight: InFlight, result: ApiResult): void {
    if (flight.done || flight.res.destroyed) return;
    let status = result.status;
    let contentType = "application/json; charset=utf-8";
    let payload = status === 204 || result.body === undefined ? undefined : JSON.stringify(result.body);
    const fault = flight.fault;
    if (fault?.kind === "malformed") {
      if (status === 204) status = 200;
      const text = payload ?? "{}";
      if (fault.malformed === "invalid-json") payload = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      else if (fault.malformed === "html") {
        contentType = "text/html; charset=utf-8";
        payload = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n";
      } else if (fault.malformed === "huge") payload = `${text.replace(/}$/, "")}${text === "{}" ? "" : ","}"padding":"${"x".repeat(HUGE_PADDING)}"}`;
      else payload = JSON.stringify(renamePlugins(result.body));
    }
    this.record(flight, status, result.body);
    const headers: Record<string, string | number> = {
      "content-type": contentType,
      server: `kong/${this.options.version ?? "3.9.1"}`,
      "access-control-allow-origin": "*",
      "x-kong-admin-latency": Math.round(performance.now() - flight.started),
      ...result.headers,
    };
    if (payload !== undefined) headers["content-length"] = Buffer.byteLength(payload);
    else delete headers["content-type"];
    try {
      flight.res.writeHead(status, headers);
      flight.res.end(flight.req.method === "HEAD" ? undefined : payload);
    } catch {
      flight.res.destroy();
    }
  }

  private record(flight: InFlight, status: number, responseBody: unknown): void {
    if (flight.done) return;
    flight.done = true;
    const entry: RecordedRequest = {
      method: (flight.req.method ?? "GET").toUpperCase(),
      path: flight.url.pathname,
      query: queryRecord(flight.url.searchParams),
      headers: redactHeaders(flight.req.headers, this.rbacHeader),
      body: flight.body,
      status,
      ...(responseBody !== undefined ? { responseBody } : {}),
      durationMs: Math.round((performance.now() - flight.started) * 1000) / 1000,
      ...(flight.workspace !== undefined ? { workspace: flight.workspace } : {}),
      ...(flight.fault ? { fault: faultKindOf(flight.fault) } : {}),
    };
    this.log.add(entry);
  }
}

/** The path and query of a request target (origin form, or absolute form from proxies). */
function parseTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  let raw = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      const absolute = new URL(raw);
      raw = absolute.pathname + absolute.search;
    } catch {
      raw = "/";
    }
  }
  const q = raw.indexOf("?");
  const pathname = q < 0 ? raw : raw.slice(0, q);
  return { pathname: pathname.startsWith("/") ? pathname : `/${pathname}`, searchParams: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether every string (keys too) of decoded JSON is well-formed UTF-16, i.e. has no lone surrogate. */
export function isWellFormedJson(value: unknown): boolean {
  if (typeof value === "string") return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(isWellFormedJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([k, v]) => !LONE_SURROGATE.test(k) && isWellFormedJson(v));
  return true;
}

/** `wrong-plugin-name`: the answer names another plugin (a single entity or every item of a list). */
function renamePlugins(body: unknown): unknown {
  if (!isTable(body) || Array.isArray(body)) return body;
  const object = body as JsonObject;
  if (Array.isArray(object["data"])) return { ...object, data: object["data"].map((item) => renamePlugins(item)) };
  return typeof object["name"] === "string" && "config" in object ? { ...object, name: object["name"] === "cors" ? "acl" : "cors" } : body;
}
