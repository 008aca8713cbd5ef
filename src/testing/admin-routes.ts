/**
 * The Admin API's routes: which path and method reach which handler, with Kong's answers for
 * unknown paths (404), unknown methods (405), `OPTIONS`, workspace prefixes (Enterprise), the
 * plugins' endpoints (nested under routes, services and consumers too) and the core entities'
 * (entity-routes.ts).
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { KongInternalError, schemaViolation } from "./kong-errors.js";
import { unescapeUri } from "./lua-compat.js";
import type { PluginSchemas } from "./kong-schema.js";
import { errorResult, NOT_FOUND, type ApiResult, type PluginDao, type PluginKey } from "./plugin-dao.js";
import type { EntityDao } from "./entity-dao.js";
import { entityRoutes } from "./entity-routes.js";
import { page } from "./paging.js";
import { describeSubschema } from "./schema-json.js";
import type { JsonObject } from "./schema-engine.js";
import type { EmulatorStore, WorkspaceState } from "./store.js";

/** One request as the router sees it. */
export interface RouteRequest {
  readonly method: string;
  /** raw path, without the query string */
  readonly path: string;
  readonly query: URLSearchParams;
  /** the decoded JSON body of POST/PUT/PATCH (an empty object when there was none) */
  readonly body: JsonObject;
}

/** The router's answer plus the workspace named in the path, if any. */
export interface RouteAnswer extends ApiResult {
  readonly workspace?: string;
}

/** Facts `GET /` reports. */
export interface NodeInfo {
  readonly edition: "community" | "enterprise";
  readonly version: string;
  readonly rbacHeader: string;
  readonly rbac: boolean;
}

type Handler = (ws: WorkspaceState, params: string[], req: RouteRequest) => ApiResult;
type Methods = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

/** The parents plugins nest under: `/routes/{route}/plugins`, `/services/{service}/plugins`, `/consumers/{consumer}/plugins`. */
type PluginParent = "route" | "service" | "consumer";

/** Dispatches Admin API requests to the plugin DAO and the store. */
export class AdminRouter {
  private readonly nodeId = randomUUID();
  private readonly routes: Array<[pattern: string[], methods: Methods]>;
  private readonly topLevel: ReadonlySet<string>;

  constructor(
    private readonly store: EmulatorStore,
    private readonly dao: PluginDao,
    private readonly entities: EntityDao,
    private readonly schemas: PluginSchemas,
    private readonly info: NodeInfo,
  ) {
    const nestedFor = (kind: PluginParent): Array<[string[], Methods]> => [
      [[`${kind}s`, ":parent", "plugins"], { GET: (ws, p, r) => this.nestedList(ws, kind, p, r), POST: (ws, p, r) => this.nestedPost(ws, kind, p, r) }],
      [
        [`${kind}s`, ":parent", "plugins", ":plugin"],
        {
          GET: (ws, p) => this.nested(ws, kind, p, (key) => ({ status: 200, body: this.dao.output(this.dao.select(ws, key)!) })),
          PUT: (ws, p, r) => this.withParent(ws, kind, p[0]!, (parent) => this.withKey(p[1]!, (key) => this.dao.upsert(ws, key, { ...r.body, [kind]: { id: parent.id } }))),
          PATCH: (ws, p, r) => this.nested(ws, kind, p, (key, parent) => this.dao.update(ws, key, r.body[kind] === undefined ? { ...r.body, [kind]: { id: parent.id } } : r.body)),
          DELETE: (ws, p) => this.nested(ws, kind, p, (key) => this.dao.delete(ws, key)),
        },
      ],
    ];
    this.routes = [
      [["plugins"], { GET: (ws, _p, r) => this.list(ws, r, "/plugins"), POST: (ws, _p, r) => this.dao.insert(ws, r.body) }],
      [["plugins", "enabled"], { GET: () => ({ status: 200, body: { enabled_plugins: [...this.schemas.enabled] } }) }],
      [
        ["plugins", ":plugin"],
        {
          GET: (ws, p) => this.withKey(p[0]!, (key) => this.selectOr404(ws, key)),
          PUT: (ws, p, r) => this.withKey(p[0]!, (key) => this.dao.upsert(ws, key, r.body)),
          PATCH: (ws, p, r) => this.withKey(p[0]!, (key) => this.dao.update(ws, key, r.body)),
          DELETE: (ws, p) => this.withKey(p[0]!, (key) => this.dao.delete(ws, key)),
        },
      ],
      ...nestedFor("route"),
      ...nestedFor("service"),
      ...nestedFor("consumer"),
      ...entityRoutes(entities),
      [["tags", ":tag"], { GET: (ws, p, r) => this.tagged(ws, p[0]!, r) }],
      [["schemas", "plugins", "validate"], { POST: (_ws, _p, r) => this.validateSchema(r.body) }],
      [["schemas", "plugins", ":name"], { GET: (_ws, p) => this.describe(p[0]!) }],
    ];
    if (info.edition === "enterprise") {
      this.routes.push(
        [["workspaces"], { GET: () => ({ status: 200, body: { data: this.store.workspaces().map(workspaceJson), next: null } }) }],
        [["workspaces", ":ws"], { GET: (_ws, p) => { const ws = this.store.workspace(p[0]!); return ws ? { status: 200, body: workspaceJson(ws) } : NOT_FOUND; } }],
      );
    }
    // `/targets` is disabled (kong/api/routes/targets.lua): it answers 404 like an unknown path
    this.topLevel = new Set(["plugins", "schemas", "tags", "workspaces", ...[...entities.defs.values()].map((def) => def.path).filter((p) => p !== "targets")]);
  }

  /** Answers one request. Throws {@link KongInternalError} where Kong answers 500. */
  handle(req: RouteRequest): RouteAnswer {
    const trimmed = req.path.length > 1 && req.path.endsWith("/") ? req.path.slice(0, -1) : req.path;
    if (trimmed === "/" || trimmed === "") return this.dispatch({ GET: () => this.root() }, this.defaultWs(), [], req);
    const segments = trimmed.split("/").slice(1).map(unescapeUri);
    let ws = this.defaultWs();
    let rest = segments;
    let workspace: string | undefined;
    if (!this.topLevel.has(segments[0]!)) {
      if (this.info.edition !== "enterprise") return NOT_FOUND;
      const named = this.store.workspace(segments[0]!);
      if (!named || segments.length < 2 || !this.topLevel.has(segments[1]!)) return NOT_FOUND;
      ws = named;
      workspace = segments[0];
      rest = segments.slice(1);
    }
    for (const [pattern, methods] of this.routes) {
      const params = match(pattern, rest);
      if (params) return { ...this.dispatch(methods, ws, params, req), workspace };
    }
    return { ...NOT_FOUND, workspace };
  }

  /**
   * kong/api/routes/tags.lua: `GET /tags/{tag}`, what of every kind carries the tag, a page of
   * `{ entity_name, entity_id, tag }` in id order.
   */
  private tagged(ws: WorkspaceState, tag: string, req: RouteRequest): ApiResult {
    const rows: JsonObject[] = [];
    const add = (name: string, entity: JsonObject) => {
      if (Array.isArray(entity["tags"]) && (entity["tags"] as unknown[]).includes(tag)) rows.push({ id: entity["id"] as string, entity_name: name, entity_id: entity["id"] as string, tag });
    };
    for (const [name, table] of ws.tables) for (const entity of table.values()) add(name, entity);
    for (const plugin of ws.plugins.values()) add("plugins", plugin);
    rows.sort((a, b) => ((a["id"] as string) < (b["id"] as string) ? -1 : 1));
    const query = new URLSearchParams(req.query);
    query.delete("tags");
    return page({ rows, query, nextPath: `/tags/${tag}`, nested: true, output: ({ id: _id, ...row }) => row });
  }

  private defaultWs(): WorkspaceState {
    return this.store.requireWorkspace("default");
  }

  private dispatch(methods: Methods, ws: WorkspaceState, params: string[], req: RouteRequest): ApiResult {
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = methods[method as keyof Methods];
    if (handler) return handler(ws, params, req);
    if (method === "OPTIONS") {
      const allowed = [...Object.keys(methods), ...(methods.GET ? ["HEAD"] : []), "OPTIONS"].sort();
      return { status: 204, headers: { allow: allowed.join(", "), "access-control-allow-methods": allowed.join(", ") } };
    }
    return { status: 405, body: { message: "Method not allowed" } };
  }

  private root(): ApiResult {
    const used = new Set<string>();
    for (const ws of this.store.workspaces()) for (const p of ws.plugins.values()) used.add(p["name"] as string);
    const available: JsonObject = {};
    for (const name of this.schemas.enabled) available[name] = { version: this.info.version, priority: name === "session" ? 1900 : 1000 };
    return {
      status: 200,
      body: {
        tagline: "Welcome to kong",
        version: this.info.version,
        edition: this.info.edition,
        hostname: hostname(),
        node_id: this.nodeId,
        lua_version: "LuaJIT 2.1.0-20231117",
        timers: { running: 0, pending: 0 },
        plugins: { available_on_server: available, enabled_in_cluster: [...used].sort() },
        pids: { master: process.pid, workers: [process.pid] },
        configuration: { database: "postgres", role: "traditional", enforce_rbac: this.info.rbac ? "on" : "off", rbac_auth_header: this.info.rbacHeader },
      },
    };
  }

  private withKey(param: string, fn: (key: PluginKey) => ApiResult): ApiResult {
    const key = this.dao.keyFromParam(param);
    return "code" in key ? errorResult(key) : fn(key);
  }

  private selectOr404(ws: WorkspaceState, key: PluginKey): ApiResult {
    const row = this.dao.select(ws, key);
    return row ? { status: 200, body: this.dao.output(row) } : NOT_FOUND;
  }

  private list(ws: WorkspaceState, req: RouteRequest, nextPath: string): ApiResult {
    return page({ rows: this.store.pluginsById(ws), query: req.query, nextPath, nested: false, output: (row) => this.dao.output(row) });
  }

  /** A route, service or consumer addressed by id or endpoint key, like Kong's `select_entity`. */
  private withParent(ws: WorkspaceState, kind: PluginParent, param: string, fn: (parent: JsonObject) => ApiResult): ApiResult {
    const def = this.entities.def(`${kind}s`)!;
    const key = this.entities.keyFromParam(def, param);
    if ("code" in key) return errorResult(key);
    const parent = this.entities.select(ws, def, key);
    return parent ? fn(parent) : NOT_FOUND;
  }

  private nestedList(ws: WorkspaceState, kind: PluginParent, params: string[], req: RouteRequest): ApiResult {
    return this.withParent(ws, kind, params[0]!, (parent) => {
      const rows = this.store.pluginsById(ws).filter((p) => (p[kind] as { id?: string } | null)?.id === parent.id);
      return page({ rows, query: req.query, nextPath: `/${kind}s/${params[0]}/plugins`, nested: true, output: (row) => this.dao.output(row) });
    });
  }

  private nestedPost(ws: WorkspaceState, kind: PluginParent, params: string[], req: RouteRequest): ApiResult {
    return this.withParent(ws, kind, params[0]!, (parent) => this.dao.insert(ws, { ...req.body, [kind]: { id: parent.id } }));
  }

  /** A nested plugin endpoint: the parent must exist, the plugin too, and belong to it. */
  private nested(ws: WorkspaceState, kind: PluginParent, params: string[], fn: (key: PluginKey, parent: JsonObject) => ApiResult): ApiResult {
    return this.withParent(ws, kind, params[0]!, (parent) =>
      this.withKey(params[1]!, (key) => {
        const row = this.dao.select(ws, key);
        if (!row || (row[kind] as { id?: string } | null)?.id !== parent.id) return NOT_FOUND;
        return fn(key, parent);
      }),
    );
  }

  private validateSchema(body: JsonObject): ApiResult {
    const processed = this.schemas.process(body, "insert");
    if (processed.errors) throw new KongInternalError("validate called without an input table");
    const errors = this.schemas.validate(processed.value, true);
    if (errors.size > 0) return { status: 400, body: schemaViolation(errors) };
    return { status: 200, body: { message: "schema validation successful" } };
  }

  private describe(name: string): ApiResult {
    const def = this.schemas.forName(name);
    if (!def) return { status: 404, body: { message: `No plugin named '${name}'` } };
    return { status: 200, body: describeSubschema(def, name) };
  }
}

function match(pattern: string[], segments: string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(":")) {
      if (segments[i] === "") return undefined;
      params.push(segments[i]!);
    } else if (p !== segments[i]) return undefined;
  }
  return params;
}

function workspaceJson(ws: WorkspaceState): JsonObject {
  return { id: ws.id, name: ws.name, comment: null, created_at: ws.created_at, meta: {}, config: {} };
}
