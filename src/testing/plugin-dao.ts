/**
 * Kong's plugin DAO as the Admin API drives it: kong/db/dao/plugins.lua (protocols must match the
 * route), kong/db/dao/init.lua (check_insert / check_upsert / check_update, resolve_foreign) and the
 * constraints of Kong's Postgres tables (primary key, cache_key, instance_name, foreign keys) in the
 * order Postgres reports them.
 */
import { randomUUID } from "node:crypto";
import {
  foreignKeysUnresolved, foreignKeyViolation, httpStatusOf, invalidUnique, notFound, notFoundByField,
  primaryKeyViolation, schemaViolation, uniqueViolation, type KongErrorBody, type UnresolvedForeignKey,
} from "./kong-errors.js";
import type { LuaTable, LuaValue } from "./lua-compat.js";
import { validateUtf8Name, type PluginSchemas } from "./kong-schema.js";
import { cloneJson, isTable, isValidUuid, mergeValues, validateField, validateForeignKey, type FieldDef, type JsonObject } from "./schema-engine.js";
import type { EmulatorStore, WorkspaceState } from "./store.js";

/** What a handler answers: status, JSON body (none for 204) and extra headers. */
export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How a path segment addresses a plugin. */
export type PluginKey = { readonly id: string } | { readonly instanceName: string };

/** The 404 most endpoints answer. */
export const NOT_FOUND: ApiResult = { status: 404, body: { message: "Not found" } };

/** An answer carrying a Kong error body with the status of its code. */
export function errorResult(error: KongErrorBody): ApiResult {
  return { status: httpStatusOf(error.code), body: error };
}

const truthy = (value: unknown): boolean => value !== undefined && value !== false;

const FOREIGN_UNIQUE: Record<string, readonly string[]> = {
  routes: ["name"],
  services: ["name"],
  consumers: ["username", "custom_id"],
  consumer_groups: ["name"],
};

/** Plugin CRUD with Kong's validation order and database constraints. */
export class PluginDao {
  constructor(private readonly store: EmulatorStore, private readonly schemas: PluginSchemas) {}

  /** A `{plugins}` path segment: a UUID, else an instance name (code 10 when invalid). */
  keyFromParam(param: string): PluginKey | KongErrorBody {
    if (isValidUuid(param)) return { id: param.toLowerCase() };
    const err = validateField({ type: "string", custom: validateUtf8Name }, param);
    if (err !== undefined) return invalidUnique("instance_name", String(err));
    return { instanceName: param };
  }

  /** The stored plugin a key addresses. */
  select(ws: WorkspaceState, key: PluginKey): JsonObject | undefined {
    return "id" in key ? ws.plugins.get(key.id) : this.store.pluginByInstanceName(ws, key.instanceName);
  }

  /** `POST /plugins`: 201 with the stored entity. */
  insert(ws: WorkspaceState, raw: JsonObject): ApiResult {
    const mismatch = this.protocolsMismatch(ws, raw);
    if (mismatch) return errorResult(schemaViolation(mismatch));
    const processed = this.schemas.process(raw, "insert");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    const entity = processed.value;
    const failure = this.resolveAndValidate(ws, entity, true);
    if (failure) return failure;
    const row = this.toRow(entity);
    const conflict = this.constraints(ws, row, { insert: true });
    if (conflict) return errorResult(conflict);
    ws.plugins.set(row["id"] as string, row);
    return { status: 201, body: this.output(row) };
  }

  /** `PUT /plugins/{key}`: create or replace the whole entity (omitted fields take defaults). */
  upsert(ws: WorkspaceState, key: PluginKey, raw: JsonObject): ApiResult {
    if ("id" in key) {
      const mismatch = this.protocolsMismatch(ws, raw);
      if (mismatch) return errorResult(schemaViolation(mismatch));
    }
    const processed = this.schemas.process(raw, "upsert");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    const entity = processed.value;
    const existing = this.select(ws, key);
    if ("instanceName" in key) entity["instance_name"] = key.instanceName;
    const failure = this.resolveAndValidate(ws, entity, true);
    if (failure) return failure;
    if ("id" in key) entity["id"] = key.id;
    else if (existing) entity["id"] = existing["id"];
    const row = this.toRow(entity);
    const pkName: LuaTable | undefined = "instanceName" in key ? new Map([["instance_name", key.instanceName]]) : undefined;
    const conflict = this.constraints(ws, row, { insert: !existing, self: existing?.["id"] as string | undefined, pkName });
    if (conflict) return errorResult(conflict);
    if (existing && existing["id"] !== row["id"]) ws.plugins.delete(existing["id"] as string);
    ws.plugins.set(row["id"] as string, row);
    return { status: 200, body: this.output(row) };
  }

  /** `PATCH /plugins/{key}`: merge into the stored entity (config deep-merged, arrays replaced). */
  update(ws: WorkspaceState, key: PluginKey, input: JsonObject): ApiResult {
    const raw: JsonObject = { ...input };
    if (raw["name"] === undefined) {
      const current = this.select(ws, key);
      if (!current) return NOT_FOUND;
      raw["name"] = current["name"];
    }
    if ("id" in key && (raw["protocols"] !== undefined || raw["service"] !== undefined || raw["route"] !== undefined)) {
      const check = { protocols: raw["protocols"], service: raw["service"], route: raw["route"] };
      const { protocols, service, route } = check;
      if ((truthy(protocols) && !truthy(route)) || (truthy(service) && !truthy(protocols)) || (truthy(route) && !truthy(protocols))) {
        const rbw = this.select(ws, key);
        if (rbw) {
          check.protocols = truthy(protocols) ? protocols : rbw["protocols"];
          check.service = truthy(service) ? service : rbw["service"];
          check.route = truthy(route) ? route : rbw["route"];
        }
      }
      const mismatch = this.protocolsMismatch(ws, check);
      if (mismatch) return errorResult(schemaViolation(mismatch));
    }
    const processed = this.schemas.process(raw, "update");
    if (processed.errors) return errorResult(schemaViolation(processed.errors));
    const rbw = this.select(ws, key);
    if (!rbw) {
      return errorResult("id" in key ? notFound(new Map([["id", key.id]])) : notFoundByField(new Map([["instance_name", key.instanceName]])));
    }
    const def = this.schemas.forName(rbw["name"]) ?? this.schemas.entity;
    const merged = mergeValues(def, processed.value, rbw);
    const failure = this.resolveAndValidate(ws, merged, false);
    if (failure) return failure;
    merged["id"] = rbw["id"];
    const row = this.toRow(merged);
    const conflict = this.constraints(ws, row, { insert: false, self: rbw["id"] as string });
    if (conflict) return errorResult(conflict);
    ws.plugins.set(row["id"] as string, row);
    return { status: 200, body: this.output(row) };
  }

  /** `DELETE /plugins/{key}`: 204, also when there is nothing to delete. */
  delete(ws: WorkspaceState, key: PluginKey): ApiResult {
    const current = this.select(ws, key);
    if (current) ws.plugins.delete(current["id"] as string);
    return { status: 204 };
  }

  /** A stored plugin as Kong returns it: every field of its schema, in schema order, absent as null. */
  output(row: JsonObject): JsonObject {
    const def = this.schemas.forName(row["name"]) ?? this.schemas.entity;
    return ordered(def, row);
  }

  /** Stores a plugin without validation (seeding, drift); defaults filled where possible. */
  seed(ws: WorkspaceState, input: JsonObject): JsonObject {
    const processed = this.schemas.process(input, "insert");
    const row = this.toRow(processed.value ?? { ...cloneJson(input), id: input["id"] ?? randomUUID() });
    for (const key of ["created_at", "updated_at"]) if (typeof input[key] === "number") row[key] = input[key];
    ws.plugins.set(row["id"] as string, row);
    return row;
  }

  /** `check_protocols_match` on the raw body (before any validation, like Kong). */
  private protocolsMismatch(ws: WorkspaceState, plugin: JsonObject): LuaTable | undefined {
    const protocols = plugin["protocols"];
    if (!isTable(protocols)) return undefined;
    const list = Array.isArray(protocols) ? protocols : [];
    const overlaps = (routeProtocols: readonly string[]): boolean => list.some((p) => typeof p === "string" && routeProtocols.includes(p));
    const route = plugin["route"];
    const service = plugin["service"];
    if (isTable(route)) {
      const id = (route as JsonObject)["id"];
      const found = isValidUuid(id) ? ws.routes.get(id.toLowerCase()) : undefined;
      if (found && !overlaps(found.protocols)) return new Map([["protocols", "must match the associated route's protocols"]]);
    } else if (isTable(service)) {
      const id = (service as JsonObject)["id"];
      const routes = isValidUuid(id) ? this.store.routesOfService(ws, id.toLowerCase()) : undefined;
      if (!routes || (routes.length > 0 && !routes.some((r) => overlaps(r.protocols)))) {
        return new Map([["protocols", "must match the protocols of at least one route pointing to this Plugin's service"]]);
      }
    }
    return undefined;
  }

  /** `resolve_foreign` (references by unique name) then `Schema:validate`. */
  private resolveAndValidate(ws: WorkspaceState, entity: JsonObject, fullCheck: boolean): ApiResult | undefined {
    const unresolved: UnresolvedForeignKey[] = [];
    for (const [fieldName, field] of this.foreignFields(entity)) {
      const value = entity[fieldName];
      if (value === undefined || value === null || value === false) continue;
      if (validateForeignKey(value) === undefined) continue;
      const reference = field.reference!;
      for (const unique of FOREIGN_UNIQUE[reference] ?? []) {
        const candidate = (value as JsonObject)[unique];
        if (typeof candidate !== "string" || validateField({ type: "string", custom: validateUtf8Name }, candidate) !== undefined) continue;
        const found = this.store.findBy(ws, reference, unique, candidate);
        if (found) {
          entity[fieldName] = { id: found["id"] };
          break;
        }
        unresolved.push({ field: fieldName, uniqueName: unique, value: candidate, parent: reference });
      }
    }
    if (unresolved.length > 0) return errorResult(foreignKeysUnresolved(unresolved));
    const errors = this.schemas.validate(entity, fullCheck);
    return errors.size > 0 ? errorResult(schemaViolation(errors)) : undefined;
  }

  private foreignFields(entity: JsonObject): Array<readonly [string, FieldDef]> {
    const def = this.schemas.forName(entity["name"]) ?? this.schemas.entity;
    return (def.fields ?? []).filter(([, field]) => field.type === "foreign");
  }

  /** What Postgres stores: ids lower-cased, foreign keys reduced to `{ id }`. */
  private toRow(entity: JsonObject): JsonObject {
    const row: JsonObject = {};
    for (const key of Object.keys(entity)) row[key] = cloneJson(entity[key]);
    if (typeof row["id"] === "string") row["id"] = row["id"].toLowerCase();
    for (const [fieldName] of this.foreignFields(row)) {
      const ref = row[fieldName];
      if (isTable(ref) && typeof (ref as JsonObject)["id"] === "string") row[fieldName] = { id: ((ref as JsonObject)["id"] as string).toLowerCase() };
    }
    return row;
  }

  /** Postgres constraints in the order it reports them: unique indexes, then foreign keys. */
  private constraints(ws: WorkspaceState, row: JsonObject, mode: { insert: boolean; self?: string; pkName?: LuaTable }): KongErrorBody | undefined {
    const id = row["id"] as string | null;
    if (mode.insert && id === null) return primaryKeyViolation(mode.pkName ?? new Map([["id", null]]));
    const elsewhere = this.store.workspaces().some((other) => other !== ws && id !== null && other.plugins.has(id));
    if ((mode.insert && id !== null && ws.plugins.has(id)) || elsewhere) return primaryKeyViolation(mode.pkName ?? new Map([["id", id]]));
    const refId = (value: unknown): string | null => (isTable(value) ? ((value as JsonObject)["id"] as string) : null);
    const others = [...ws.plugins.values()].filter((p) => p["id"] !== mode.self && p["id"] !== id);
    const sameCacheKey = (p: JsonObject): boolean =>
      p["name"] === row["name"] &&
      refId(p["route"]) === refId(row["route"]) &&
      refId(p["service"]) === refId(row["service"]) &&
      refId(p["consumer"]) === refId(row["consumer"]) &&
      refId(p["consumer_group"]) === refId(row["consumer_group"]);
    if (others.some(sameCacheKey)) {
      const ref = (value: unknown): LuaValue => (refId(value) === null ? null : new Map([["id", refId(value)!]]));
      return uniqueViolation(
        new Map<string, LuaValue>([
          ["consumer", ref(row["consumer"])],
          ["name", row["name"] as string],
          ["route", ref(row["route"])],
          ["service", ref(row["service"])],
        ]),
      );
    }
    const instanceName = row["instance_name"];
    if (typeof instanceName === "string" && others.some((p) => p["instance_name"] === instanceName)) {
      return uniqueViolation(new Map([["instance_name", instanceName]]));
    }
    const checks: Array<[string, string, (fk: string) => boolean]> = [
      ["consumer", "consumers", (fk) => this.store.table(ws, "consumers").has(fk)],
      ["service", "services", (fk) => ws.services.has(fk)],
      ["route", "routes", (fk) => ws.routes.has(fk)],
      ["consumer_group", "consumer_groups", (fk) => this.store.table(ws, "consumer_groups").has(fk)],
    ];
    for (const [fieldName, parent, exists] of checks) {
      const fk = refId(row[fieldName]);
      if (fk !== null && !exists(fk)) return foreignKeyViolation(fieldName, fk, parent);
    }
    return undefined;
  }
}

/** Kong's select output: the schema's fields in order, absent ones null, unknown keys dropped. */
function ordered(def: FieldDef, value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, field] of def.fields ?? []) {
    const v = value[key];
    if (field.external && isTable(v) && !Array.isArray(v)) out[key] = field.external.output(v);
    else if (field.type === "record" && field.fields && isTable(v) && !Array.isArray(v)) out[key] = ordered(field, v);
    else out[key] = v === undefined ? null : cloneJson(v);
  }
  return out;
}
