/**
 * Kong's generic DAO for the core entities and credentials (kong/db/dao/init.lua: check_insert,
 * check_upsert, check_update, resolve_foreign, delete with cascades) over the emulator's store, with
 * the constraints Kong's Postgres enforces (primary key, unique indexes, cache keys, foreign keys,
 * ON DELETE RESTRICT) in the order they are reported, and the entity DAOs' own behaviour:
 * targets.lua (`format_target`), certificates.lua + snis.lua (the transient `snis`), the basic-auth
 * password hash and the ca_certificates digest.
 */
import { createHash, X509Certificate } from "node:crypto";
import {
  foreignKeyRestricted, foreignKeysUnresolved, foreignKeyViolation, invalidOptions, invalidPrimaryKey, invalidUnique, KongInternalError, notFound, notFoundByField,
  primaryKeyViolation, schemaViolation, uniqueViolation, type KongErrorBody, type UnresolvedForeignKey,
} from "./kong-errors.js";
import type { LuaTable, LuaValue } from "./lua-compat.js";
import { entitySchemas, type EntityDef, type EntityName, type EntitySchemaOptions } from "./entity-schemas.js";
import { runEntityRules } from "./entity-rules.js";
import { formatTarget, normalizeIp } from "./entity-validators.js";
import { page } from "./paging.js";
import { errorResult, type ApiResult } from "./plugin-dao.js";
import { cloneJson, isTable, isValidUuid, mergeValues, processAutoFields, validateField, validateForeignKey, validateRecord, type FieldDef, type JsonObject } from "./schema-engine.js";
import { compareIds, type EmulatorStore, type WorkspaceState } from "./store.js";

/** How a path segment addresses an entity: its id, or its endpoint key's value. */
export type EntityKey = { readonly id: string } | { readonly field: string; readonly value: string };

/** A listing's restriction to the children of one parent (nested endpoints). */
export interface ParentFilter {
  readonly field: string;
  readonly id: string;
}

/** The plugins' foreign fields: deleting the parent deletes the plugin (plugins.lua `on_delete = "cascade"`). */
const PLUGIN_FOREIGN: ReadonlyArray<[field: string, parent: string]> = [["route", "routes"], ["service", "services"], ["consumer", "consumers"], ["consumer_group", "consumer_groups"]];

const refId = (value: unknown): string | null => (isTable(value) && typeof (value as JsonObject)["id"] === "string" ? ((value as JsonObject)["id"] as string).toLowerCase() : null);

/** The protocols routes_subschemas.lua names a subschema for. */
const ROUTE_SUBSCHEMAS: readonly unknown[] = ["http", "https", "tcp", "tls", "udp", "tls_passthrough", "grpc", "grpcs"];

/** How a write goes to the database. */
interface WriteMode {
  /** an insert (a primary key that exists is a violation), not a replacement */
  readonly insert: boolean;
  /** the success status (201 for POST, 200 for PUT and PATCH) */
  readonly status?: number;
  /** the key a primary key violation names (PUT by endpoint key) */
  readonly pkName?: LuaTable;
  /** the row being replaced or updated */
  readonly replaces?: JsonObject;
  /** the stored basic-auth hash a PATCH without a password keeps */
  readonly keepHash?: string;
  /** the write's `ttl` option, when the schema takes one and the body gave it */
  readonly ttl?: unknown;
}

/** CRUD of every entity but plugins, Kong's way. */
export class EntityDao {
  /** the schemas of this Kong, by DAO name */
  readonly defs: ReadonlyMap<EntityName, EntityDef>;

  constructor(private readonly store: EmulatorStore, options: EntitySchemaOptions) {
    this.defs = entitySchemas(options);
  }

  /** The schema of a DAO name, or undefined when this Kong has no such entity. */
  def(kind: string): EntityDef | undefined {
    return this.defs.get(kind as EntityName);
  }

  /** A path segment: a UUID, else the endpoint key's value (code 10 when it is invalid). */
  keyFromParam(def: EntityDef, param: string): EntityKey | KongErrorBody {
    if (isValidUuid(param)) return { id: param.toLowerCase() };
    if (!def.endpointKey) return invalidPrimaryKey(new Map([["id", "expected a valid UUID"]]));
    const field = this.field(def, def.endpointKey);
    const err = field ? validateField({ ...field, required: false }, param) : undefined;
    if (err !== undefined) return invalidUnique(def.endpointKey, typeof err === "string" ? err : "invalid value");
    return { field: def.endpointKey, value: param };
  }

  /** The stored row a key addresses. */
  select(ws: WorkspaceState, def: EntityDef, key: EntityKey, parent?: ParentFilter): JsonObject | undefined {
    if ("id" in key) return this.rows(ws, def).get(key.id);
    // targets are addressed by `host:port` within their upstream (kong/api/routes/upstreams.lua)
    const value = def.name === "targets" ? formatTarget(key.value) : key.value;
    if (parent) return this.sorted(ws, def, parent).find((row) => row[key.field] === value);
    return this.store.findBy(ws, def.name, key.field, value);
  }

  /** The rows of a DAO, sorted by id (Kong's listing order), optionally a parent's children only. */
  sorted(ws: WorkspaceState, def: EntityDef, parent?: ParentFilter): JsonObject[] {
    const rows = [...this.rows(ws, def).values()].filter((row) => !parent || refId(row[parent.field]) === parent.id);
    return rows.sort((a, b) => compareIds(a["id"] as string, b["id"] as string));
  }

  /** `GET` of a collection: Kong's paging and tags filter. */
  list(ws: WorkspaceState, def: EntityDef, query: URLSearchParams, nextPath: string, parent?: ParentFilter): ApiResult {
    return page({ rows: this.sorted(ws, def, parent), query, nextPath, nested: parent !== undefined, output: (row) => this.output(ws, def, row) });
  }

  /** `POST` of a collection: 201 with the stored entity. */
  insert(ws: WorkspaceState, def: EntityDef, raw: JsonObject): ApiResult {
    const { body, ttl } = extractOptions(def, raw);
    const pre = this.beforeWrite(def, body, "insert");
    if (pre) return pre;
    const processed = processAutoFields(this.schemaOf(def), body, "insert");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    return this.write(ws, def, processed.value, { insert: true, ttl });
  }

  /** `PUT` of one entity: create or replace it whole (omitted fields take their defaults). */
  upsert(ws: WorkspaceState, def: EntityDef, key: EntityKey, raw: JsonObject): ApiResult {
    const { body: given, ttl } = extractOptions(def, raw);
    const body = "field" in key ? { ...given, [key.field]: key.value } : given;
    const pre = this.beforeWrite(def, body, "upsert");
    if (pre) return pre;
    const processed = processAutoFields(this.schemaOf(def), body, "upsert");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    const entity = processed.value;
    const existing = this.select(ws, def, key);
    entity["id"] = "id" in key ? key.id : ((existing?.["id"] as string | undefined) ?? entity["id"]);
    if (existing) entity["created_at"] = existing["created_at"];
    const pkName: LuaTable | undefined = "field" in key ? new Map([[key.field, key.value]]) : undefined;
    return this.write(ws, def, entity, { insert: !existing, status: 200, pkName, replaces: existing, ttl });
  }

  /** `PATCH` of one entity: merged into the stored one (records field by field, arrays replaced). */
  update(ws: WorkspaceState, def: EntityDef, key: EntityKey, raw: JsonObject): ApiResult {
    const { body, ttl } = extractOptions(def, raw);
    const pre = this.beforeWrite(def, body, "update");
    if (pre) return pre;
    const processed = processAutoFields(this.schemaOf(def), body, "update");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    const current = this.select(ws, def, key);
    if (!current) return errorResult("id" in key ? notFound(new Map([["id", key.id]])) : notFoundByField(new Map([[key.field, key.value]])));
    const input = processed.value;
    const merged = mergeValues(this.schemaOf(def), input, current);
    merged["id"] = current["id"];
    // a stored basic-auth password is a hash already: only a new one is hashed (the `on_write` transformation)
    const keepHash = def.name === "basicauth_credentials" && input["password"] === undefined ? (current["password"] as string) : undefined;
    return this.write(ws, def, merged, { insert: false, status: 200, replaces: current, keepHash, ttl });
  }

  /** `DELETE` of one entity: 204 (also when absent), cascading; 400 while a restricting entity references it. */
  delete(ws: WorkspaceState, def: EntityDef, key: EntityKey): ApiResult {
    const row = this.select(ws, def, key);
    if (!row) return { status: 204 };
    const restricted = this.restrictingChild(ws, def, row["id"] as string);
    if (restricted) return errorResult(foreignKeyRestricted(def.name, restricted));
    this.cascadeDelete(ws, def, row["id"] as string);
    return { status: 204 };
  }

  /** A stored row as Kong returns it: every field in schema order, absent ones null. */
  output(ws: WorkspaceState, def: EntityDef, row: JsonObject): JsonObject {
    const out = ordered(this.schemaOf(def), row);
    if (def.name === "certificates") {
      const snis = this.def("snis");
      out["snis"] = snis ? this.sorted(ws, snis, { field: "certificate", id: row["id"] as string }).map((s) => s["name"] as string).sort() : [];
    }
    return out;
  }

  /** Stores an entity without validation (seeding, drift): defaults filled, ids lower-cased. */
  seed(ws: WorkspaceState, def: EntityDef, input: JsonObject): JsonObject {
    const processed = processAutoFields(this.schemaOf(def), input, "insert");
    const row = toRow(def, processed.value ?? cloneJson(input));
    for (const key of ["created_at", "updated_at"]) if (typeof input[key] === "number") row[key] = input[key];
    const id = row["id"] as string;
    if (!isValidUuid(id)) throw new TypeError(`${def.name} id '${id}' is not a valid UUID`);
    if (this.rows(ws, def).has(id)) throw new Error(`${def.name} ${id} already exists`);
    for (const unique of def.uniques) {
      if (row[unique] !== null && row[unique] !== undefined && this.store.findBy(ws, def.name, unique, row[unique])) throw new Error(`${def.name} with ${unique} '${String(row[unique])}' already exists`);
    }
    for (const [field, fieldDef] of this.schemaOf(def).fields ?? []) {
      const fk = fieldDef.type === "foreign" ? refId(row[field]) : null;
      if (fk !== null && !this.store.table(ws, fieldDef.reference!).has(fk)) throw new Error(`${fieldDef.reference!.replace(/s$/, "")} ${fk} does not exist in workspace '${ws.name}'`);
    }
    this.rows(ws, def).set(id, row);
    return row;
  }

  private rows(ws: WorkspaceState, def: EntityDef): Map<string, JsonObject> {
    return this.store.table(ws, def.name);
  }

  private schemaOf(def: EntityDef): FieldDef {
    return { type: "record", fields: def.fields, shorthands: def.shorthands };
  }

  private field(def: EntityDef, name: string): FieldDef | undefined {
    return def.fields.find(([key]) => key === name)?.[1];
  }

  /**
   * The entity DAOs' own steps before the generic ones (targets.lua `format_target`), and the
   * defaults of a route's subschema: routes_subschemas.lua's grpc one (chosen by the first protocol
   * that names a subschema) has `strip_path` default false, which `process_auto_fields` takes
   * (`each_field(data)` resolves the subschema's fields) on an insert or an upsert.
   */
  private beforeWrite(def: EntityDef, raw: JsonObject, context: "insert" | "upsert" | "update"): ApiResult | undefined {
    if (def.name === "routes" && context !== "update" && raw["strip_path"] === undefined && Array.isArray(raw["protocols"])) {
      const first = raw["protocols"].find((p) => typeof p === "string" && ROUTE_SUBSCHEMAS.includes(p));
      if (first === "grpc" || first === "grpcs") raw["strip_path"] = false;
    }
    if (def.name === "targets" && typeof raw["target"] === "string") {
      if ("error" in normalizeIp(raw["target"])) return errorResult(schemaViolation(new Map([["target", "Invalid target; not a valid hostname or ip address"]])));
      raw["target"] = formatTarget(raw["target"]);
    }
    return undefined;
  }

  /** resolve_foreign, validate, transformations, the database's constraints, then store. */
  private write(ws: WorkspaceState, def: EntityDef, entity: JsonObject, mode: WriteMode): ApiResult {
    const unresolved = this.resolveForeign(ws, def, entity);
    if (unresolved.length > 0) return errorResult(foreignKeysUnresolved(unresolved));
    const errors = validateRecord(this.schemaOf(def), entity, true);
    runEntityRules(def.name, entity, errors);
    if (errors.size > 0) return errorResult(schemaViolation(errors));
    const snis = def.name === "certificates" ? (entity["snis"] as string[] | null | undefined) : undefined;
    if (def.name === "certificates") delete entity["snis"];
    const row = toRow(def, entity);
    if (mode.keepHash !== undefined) row["password"] = mode.keepHash;
    else if (def.name === "basicauth_credentials") row["password"] = basicAuthHash(refId(row["consumer"])!, row["password"] as string);
    if (def.name === "ca_certificates") {
      try {
        row["cert_digest"] = new X509Certificate(row["cert"] as string).fingerprint256.replaceAll(":", "").toLowerCase();
      } catch {
        return errorResult(schemaViolation(new Map([["cert", "invalid certificate: x509.new: error:0480006C:PEM routines::no start line"]])));
      }
    }
    // check_insert / check_upsert / check_update: the options after the schema, before the database
    const options = validateTtl(mode.ttl);
    if (options) return errorResult(options);
    const self = mode.replaces?.["id"] as string | undefined;
    if (Array.isArray(snis)) {
      const taken = snis.map((name) => this.store.findBy(ws, "snis", "name", name)).find((sni) => sni && refId(sni["certificate"]) !== (self ?? row["id"]));
      if (taken) return errorResult(schemaViolation(new Map([["snis", `${taken["name"] as string} already associated with existing certificate '${refId(taken["certificate"])!}'`]])));
    }
    const conflict = this.constraints(ws, def, row, mode);
    if (conflict) return errorResult(conflict);
    if (self !== undefined && self !== row["id"]) this.rows(ws, def).delete(self);
    this.rows(ws, def).set(row["id"] as string, row);
    if (Array.isArray(snis)) this.replaceSnis(ws, row["id"] as string, snis);
    return { status: mode.status ?? 201, body: this.output(ws, def, row) };
  }

  /** certificates.lua: the certificate's SNIs become exactly `names`. */
  private replaceSnis(ws: WorkspaceState, certificateId: string, names: readonly string[]): void {
    const snis = this.def("snis")!;
    for (const sni of this.sorted(ws, snis, { field: "certificate", id: certificateId })) if (!names.includes(sni["name"] as string)) this.rows(ws, snis).delete(sni["id"] as string);
    for (const name of names) if (!this.store.findBy(ws, "snis", "name", name)) this.seed(ws, snis, { name, certificate: { id: certificateId } });
  }

  /** `resolve_foreign`: a foreign key given by a unique field of its parent (`service: { name }`). */
  private resolveForeign(ws: WorkspaceState, def: EntityDef, entity: JsonObject): UnresolvedForeignKey[] {
    const unresolved: UnresolvedForeignKey[] = [];
    for (const [fieldName, field] of def.fields) {
      const value = entity[fieldName];
      if (field.type !== "foreign" || !isTable(value) || Array.isArray(value) || validateForeignKey(value, field.reference) === undefined) continue;
      const parent = this.def(field.reference!);
      for (const unique of parent?.uniques ?? []) {
        const candidate = (value as JsonObject)[unique];
        if (typeof candidate !== "string") continue;
        const found = this.store.findBy(ws, parent!.name, unique, candidate);
        if (found) {
          entity[fieldName] = { id: found["id"] };
          break;
        }
        unresolved.push({ field: fieldName, uniqueName: unique, value: candidate, parent: parent!.name });
      }
    }
    return unresolved;
  }

  /** Postgres' constraints in the order it reports them: primary key, unique indexes, foreign keys. */
  private constraints(ws: WorkspaceState, def: EntityDef, row: JsonObject, mode: WriteMode): KongErrorBody | undefined {
    const id = row["id"] as string;
    const self = mode.replaces?.["id"];
    const elsewhere = this.store.workspaces().some((other) => other !== ws && this.store.table(other, def.name).has(id));
    if ((mode.insert && this.rows(ws, def).has(id)) || elsewhere) return primaryKeyViolation(mode.pkName ?? new Map([["id", id]]));
    const others = (scope: WorkspaceState[]): JsonObject[] =>
      scope.flatMap((w) => [...this.store.table(w, def.name).values()]).filter((r) => r["id"] !== id && r["id"] !== self);
    for (const unique of def.uniques) {
      const value = row[unique];
      if (value === null || value === undefined) continue;
      const scope = def.uniqueAcrossWorkspaces?.includes(unique) ? this.store.workspaces() : [ws];
      if (others(scope).some((r) => r[unique] === value)) return uniqueViolation(new Map([[unique, value as LuaValue]]));
    }
    if (def.compositeUnique) {
      const same = (r: JsonObject): boolean => def.compositeUnique!.every((f) => (isTable(row[f]) ? refId(r[f]) === refId(row[f]) : r[f] === row[f]));
      if (others([ws]).some(same)) {
        const key: LuaTable = new Map();
        for (const f of def.compositeUnique) {
          const v = row[f];
          key.set(f, isTable(v) ? new Map([["id", refId(v)!]]) : ((v ?? null) as LuaValue));
        }
        return uniqueViolation(key);
      }
    }
    for (const [fieldName, field] of def.fields) {
      const fk = field.type === "foreign" ? refId(row[fieldName]) : null;
      if (fk !== null && !this.store.table(ws, field.reference!).has(fk)) return foreignKeyViolation(fieldName, fk, field.reference!);
    }
    return undefined;
  }

  /** The DAO name of the first entity that references `id` without `on_delete = "cascade"`, if any. */
  private restrictingChild(ws: WorkspaceState, parent: EntityDef, id: string): string | undefined {
    for (const child of this.defs.values()) {
      for (const [fieldName, field] of child.fields) {
        if (field.type !== "foreign" || field.reference !== parent.name) continue;
        const rows = [...this.rows(ws, child).values()].filter((r) => refId(r[fieldName]) === id);
        if (rows.length === 0) continue;
        if (!child.cascade?.includes(fieldName)) return child.name;
        for (const row of rows) {
          const deeper = this.restrictingChild(ws, child, row["id"] as string);
          if (deeper) return deeper;
        }
      }
    }
    return undefined;
  }

  /** Deletes a row and, recursively, every row and plugin whose cascading foreign key points at it. */
  private cascadeDelete(ws: WorkspaceState, def: EntityDef, id: string): void {
    this.rows(ws, def).delete(id);
    for (const [field, parent] of PLUGIN_FOREIGN) {
      if (parent !== def.name) continue;
      for (const [pluginId, plugin] of ws.plugins) if (refId(plugin[field]) === id) ws.plugins.delete(pluginId);
    }
    for (const child of this.defs.values()) {
      for (const fieldName of child.cascade ?? []) {
        if (this.field(child, fieldName)?.reference !== def.name) continue;
        for (const row of [...this.rows(ws, child).values()]) if (refId(row[fieldName]) === id) this.cascadeDelete(ws, child, row["id"] as string);
      }
    }
  }
}

/**
 * kong/api/endpoints.lua `extract_options`: a schema with `ttl = true` takes `ttl` out of the body as
 * an option of the write (the emulator checks it but does not expire the entity).
 */
function extractOptions(def: EntityDef, raw: JsonObject): { body: JsonObject; ttl?: unknown } {
  if (!def.ttl || raw["ttl"] === undefined) return { body: raw };
  const { ttl, ...body } = raw;
  return { body, ttl };
}

/** A string Lua's `tonumber` (hence `math.floor`) takes. */
const LUA_NUMERIC = /^\s*(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|0[xX][0-9a-fA-F]+)\s*$/;

/**
 * kong/db/dao/init.lua `validate_options_value`: `floor(ttl) ~= ttl or ttl < 0 or ttl > 100000000`;
 * a numeric string never equals its floor; `math.floor` of anything else raises (500).
 */
function validateTtl(ttl: unknown): KongErrorBody | undefined {
  if (ttl === undefined) return undefined;
  const invalid = invalidOptions(new Map([["ttl", "must be an integer between 0 and 100000000"]]));
  if (typeof ttl === "number") return Math.floor(ttl) !== ttl || ttl < 0 || ttl > 100000000 ? invalid : undefined;
  if (typeof ttl === "string" && LUA_NUMERIC.test(ttl)) return invalid;
  throw new KongInternalError(`bad argument #1 to 'floor' (number expected, got ${ttl === null ? "userdata" : Array.isArray(ttl) || typeof ttl === "object" ? "table" : typeof ttl})`);
}

/** What Postgres stores: ids lower-cased, foreign keys reduced to `{ id }`. */
function toRow(def: EntityDef, entity: JsonObject): JsonObject {
  const row: JsonObject = {};
  for (const key of Object.keys(entity)) row[key] = cloneJson(entity[key]);
  if (typeof row["id"] === "string") row["id"] = row["id"].toLowerCase();
  for (const [fieldName, field] of def.fields) {
    if (field.type === "foreign" && refId(row[fieldName]) !== null) row[fieldName] = { id: refId(row[fieldName]) };
  }
  return row;
}

/** kong/plugins/basic-auth/crypto.lua: `sha1(password .. consumer_id)` in hex. */
export function basicAuthHash(consumerId: string, password: string | null | undefined): string {
  return createHash("sha1").update(password === null || password === undefined ? consumerId : password + consumerId).digest("hex");
}

/** Kong's select output: the schema's fields in order, absent ones null, records likewise. */
function ordered(def: FieldDef, value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, field] of def.fields ?? []) {
    const v = value[key];
    if (field.type === "record" && field.fields && isTable(v) && !Array.isArray(v)) out[key] = ordered(field, v);
    else out[key] = v === undefined ? null : cloneJson(v);
  }
  return out;
}
