/**
 * The Admin API endpoints of the core entities and credentials, as kong/api/endpoints.lua generates
 * them from each schema: `/{entities}`, `/{entities}/{key}`, and for every foreign key the nested
 * `/{parents}/{parent}/{entities}` and `/{parents}/{parent}/{entities}/{key}` (404 unless the entity
 * belongs to that parent), plus kong/api/routes/*.lua's own rules (`/targets` disabled,
 * `GET /consumers?custom_id=`, `PUT` of a target updates it).
 */
import { errorResult, NOT_FOUND, type ApiResult } from "./plugin-dao.js";
import type { EntityDao, EntityKey, ParentFilter } from "./entity-dao.js";
import type { EntityDef } from "./entity-schemas.js";
import type { JsonObject } from "./schema-engine.js";
import type { WorkspaceState } from "./store.js";

/** A request as an entity endpoint sees it. */
export interface EntityRequest {
  readonly query: URLSearchParams;
  readonly body: JsonObject;
}

/** An endpoint's handler: the workspace, the path's parameters, the request. */
export type EntityHandler = (ws: WorkspaceState, params: string[], req: EntityRequest) => ApiResult;

/** The handlers of one path pattern. */
export type EntityMethods = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", EntityHandler>>;

/** The endpoints of every entity this Kong has, as `[pattern, methods]` (`:x` matches one segment). */
export function entityRoutes(dao: EntityDao): Array<[string[], EntityMethods]> {
  const out: Array<[string[], EntityMethods]> = [];
  const withKey = (def: EntityDef, param: string, fn: (key: EntityKey) => ApiResult): ApiResult => {
    const key = dao.keyFromParam(def, param);
    return "code" in key ? errorResult(key) : fn(key);
  };
  for (const def of dao.defs.values()) {
    if (def.name !== "targets") {
      out.push([
        [def.path],
        {
          GET: (ws, _p, r) => (def.name === "consumers" && r.query.has("custom_id") ? consumerByCustomId(dao, ws, def, r.query) : dao.list(ws, def, r.query, `/${def.path}`)),
          POST: (ws, _p, r) => dao.insert(ws, def, r.body),
        },
      ]);
      out.push([
        [def.path, ":key"],
        {
          GET: (ws, p) => withKey(def, p[0]!, (key) => found(dao, ws, def, dao.select(ws, def, key))),
          PUT: (ws, p, r) => withKey(def, p[0]!, (key) => dao.upsert(ws, def, key, r.body)),
          PATCH: (ws, p, r) => withKey(def, p[0]!, (key) => dao.update(ws, def, key, r.body)),
          DELETE: (ws, p) => withKey(def, p[0]!, (key) => dao.delete(ws, def, key)),
        },
      ]);
    }
    if (!def.parentField) continue;
    const parentDef = dao.def(def.fields.find(([name]) => name === def.parentField)![1].reference!);
    if (!parentDef) continue;
    const nested = def.nestedPath ?? def.path;
    const field = def.parentField;
    /** The parent addressed by the first parameter (404 when absent), then `fn`. */
    const underParent = (ws: WorkspaceState, param: string, fn: (parent: ParentFilter, parentKey: { id: string }) => ApiResult): ApiResult =>
      withKey(parentDef, param, (key) => {
        const parent = dao.select(ws, parentDef, key);
        return parent ? fn({ field, id: parent["id"] as string }, { id: parent["id"] as string }) : NOT_FOUND;
      });
    /** The child addressed by the second parameter, which must belong to the parent. */
    const child = (ws: WorkspaceState, p: string[], fn: (key: EntityKey, parentKey: { id: string }) => ApiResult): ApiResult =>
      underParent(ws, p[0]!, (parent, parentKey) =>
        withKey(def, p[1]!, (key) => {
          const row = dao.select(ws, def, key, parent);
          const owner = row?.[field] as { id?: string } | null | undefined;
          return row && owner?.id === parent.id ? fn({ id: row["id"] as string }, parentKey) : NOT_FOUND;
        }),
      );
    out.push([
      [parentDef.path, ":parent", nested],
      {
        GET: (ws, p, r) => underParent(ws, p[0]!, (parent) => dao.list(ws, def, r.query, `/${parentDef.path}/${p[0]!}/${nested}`, parent)),
        POST: (ws, p, r) => underParent(ws, p[0]!, (_parent, parentKey) => dao.insert(ws, def, { ...r.body, [field]: parentKey })),
      },
    ]);
    out.push([
      [parentDef.path, ":parent", nested, ":key"],
      {
        GET: (ws, p) => child(ws, p, (key) => found(dao, ws, def, dao.select(ws, def, key))),
        // kong/api/routes/upstreams.lua: PUT of a target is its update
        PUT: (ws, p, r) =>
          def.name === "targets"
            ? child(ws, p, (key, parentKey) => dao.update(ws, def, key, { ...r.body, [field]: r.body[field] ?? parentKey }))
            : underParent(ws, p[0]!, (_parent, parentKey) => withKey(def, p[1]!, (key) => dao.upsert(ws, def, key, { ...r.body, [field]: parentKey }))),
        PATCH: (ws, p, r) => child(ws, p, (key, parentKey) => dao.update(ws, def, key, { ...r.body, [field]: r.body[field] ?? parentKey })),
        DELETE: (ws, p) => child(ws, p, (key) => dao.delete(ws, def, key)),
      },
    ]);
  }
  return out;
}

function found(dao: EntityDao, ws: WorkspaceState, def: EntityDef, row: JsonObject | undefined): ApiResult {
  return row ? { status: 200, body: dao.output(ws, def, row) } : NOT_FOUND;
}

/** kong/api/routes/consumers.lua: `GET /consumers?custom_id=` answers the one consumer, or none. */
function consumerByCustomId(dao: EntityDao, ws: WorkspaceState, def: EntityDef, query: URLSearchParams): ApiResult {
  const customId = query.get("custom_id")!;
  if (customId === "") return { status: 400, body: { message: "custom_id must be an unempty string" } };
  const row = dao.sorted(ws, def).find((c) => c["custom_id"] === customId);
  return { status: 200, body: { data: row ? [dao.output(ws, def, row)] : [], next: null } };
}
