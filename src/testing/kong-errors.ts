/**
 * Kong's error bodies (kong/db/errors.lua) and the HTTP status the Admin API gives each code
 * (kong/api/endpoints.lua): same codes, names, message formats and `fields` nesting.
 */
import { luaToJson, luaToString, prettyWrite, sortedKeys, type LuaTable, type LuaValue } from "./lua-compat.js";

/** The body of a Kong Admin API error answer. */
export interface KongErrorBody {
  /** Kong's error code (1 invalid primary key … 13 foreign keys unresolved) */
  readonly code: number;
  /** the name of the code, e.g. `schema violation` */
  readonly name: string;
  /** the full message, e.g. `schema violation (config.storage: expected one of: cookie, kong)` */
  readonly message: string;
  /** per-field details, nested like the entity (absent for codes 7, 9 and 10) */
  readonly fields?: unknown;
  /** per-option details (code 11 only) */
  readonly options?: unknown;
}

/** Kong's error codes. */
export const KONG_ERROR_CODES = {
  INVALID_PRIMARY_KEY: 1,
  SCHEMA_VIOLATION: 2,
  PRIMARY_KEY_VIOLATION: 3,
  FOREIGN_KEY_VIOLATION: 4,
  UNIQUE_VIOLATION: 5,
  NOT_FOUND: 6,
  INVALID_OFFSET: 7,
  INVALID_SIZE: 9,
  INVALID_UNIQUE: 10,
  INVALID_OPTIONS: 11,
  FOREIGN_KEYS_UNRESOLVED: 13,
} as const;

const NAMES: Record<number, string> = {
  1: "invalid primary key",
  2: "schema violation",
  3: "primary key violation",
  4: "foreign key violation",
  5: "unique constraint violation",
  6: "not found",
  7: "invalid offset",
  9: "invalid size",
  11: "invalid options",
  13: "foreign keys unresolved",
};

const HTTP_STATUS: Record<number, number> = { 1: 400, 2: 400, 3: 400, 4: 400, 5: 409, 6: 404, 7: 400, 9: 400, 10: 400, 11: 400, 13: 400 };

/** The HTTP status the Admin API answers a Kong error code with. */
export function httpStatusOf(code: number): number {
  return HTTP_STATUS[code] ?? 500;
}

/** Thrown where Kong itself would raise a Lua error: the Admin API answers 500. */
export class KongInternalError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "KongInternalError";
  }
}

function withFields(code: number, message: string, fields?: LuaTable): KongErrorBody {
  const body: { code: number; name: string; message: string; fields?: unknown } = { code, name: NAMES[code]!, message };
  if (fields) body.fields = luaToJson(fields);
  return body;
}

/** Builds a Lua table from `[key, value]` pairs. */
export function luaTable(entries: Array<[string | number, LuaValue]>): LuaTable {
  return new Map(entries);
}

/** `schema violation (…)` / `N schema violations (a; b)` with the nested `fields`. */
export function schemaViolation(errors: LuaTable): KongErrorBody {
  const buf: string[] = [];
  const entityErrors = errors.get("@entity");
  if (entityErrors instanceof Map) for (const key of sortedKeys(entityErrors)) buf.push(String(entityErrors.get(key)));
  for (const fieldName of sortedKeys(errors)) {
    if (fieldName === "@entity") continue;
    const fieldErrors = errors.get(fieldName)!;
    if (fieldErrors instanceof Map) {
      for (const sub of sortedKeys(fieldErrors)) {
        const value = fieldErrors.get(sub)!;
        const text = value instanceof Map ? prettyWrite(value) : typeof value === "string" ? value : luaToString(value);
        buf.push(`${luaToString(fieldName)}.${luaToString(sub)}: ${text}`);
      }
    } else {
      buf.push(`${luaToString(fieldName)}: ${typeof fieldErrors === "string" ? fieldErrors : luaToString(fieldErrors)}`);
    }
  }
  const message = buf.length === 1 ? `schema violation (${buf[0]})` : `${buf.length} schema violations (${buf.join("; ")})`;
  return withFields(KONG_ERROR_CODES.SCHEMA_VIOLATION, message, errors);
}

/** `primary key violation on key '{id="…"}'` (a POST with an id that exists, or a null id). */
export function primaryKeyViolation(key: LuaTable): KongErrorBody {
  return withFields(KONG_ERROR_CODES.PRIMARY_KEY_VIOLATION, `primary key violation on key '${prettyWrite(key, "")}'`, key);
}

/** `UNIQUE violation detected on '{consumer=null,name="session",…}'`. */
export function uniqueViolation(key: LuaTable): KongErrorBody {
  const text = prettyWrite(key, "").split('"userdata: NULL"').join("null");
  return withFields(KONG_ERROR_CODES.UNIQUE_VIOLATION, `UNIQUE violation detected on '${text}'`, key);
}

/** `the foreign key '{id="…"}' does not reference an existing 'routes' entity.` */
export function foreignKeyViolation(fieldName: string, id: string, parent: string): KongErrorBody {
  const key = luaTable([["id", id]]);
  return withFields(
    KONG_ERROR_CODES.FOREIGN_KEY_VIOLATION,
    `the foreign key '${prettyWrite(key, "")}' does not reference an existing '${parent}' entity.`,
    luaTable([[fieldName, key]]),
  );
}

/** Code 6 on a primary key: `could not find the entity with primary key '{id="…"}'`. */
export function notFound(key: LuaTable): KongErrorBody {
  return withFields(KONG_ERROR_CODES.NOT_FOUND, `could not find the entity with primary key '${prettyWrite(key, "")}'`, key);
}

/** Code 6 on another unique field: `could not find the entity with '{instance_name="…"}'`. */
export function notFoundByField(filter: LuaTable): KongErrorBody {
  return withFields(KONG_ERROR_CODES.NOT_FOUND, `could not find the entity with '${prettyWrite(filter, "")}'`, filter);
}

/** Code 7: `'<token>' is not a valid offset: bad base64 encoding`. */
export function invalidOffset(offset: string, reason: string): KongErrorBody {
  return { code: KONG_ERROR_CODES.INVALID_OFFSET, name: NAMES[7]!, message: `'${offset}' is not a valid offset: ${reason}` };
}

/** Code 9: `size must be a number` / `size must be an integer between 1 and 1000`. */
export function invalidSize(message: string): KongErrorBody {
  return { code: KONG_ERROR_CODES.INVALID_SIZE, name: NAMES[9]!, message };
}

/** Code 10: a path segment that is neither a UUID nor a valid unique name. */
export function invalidUnique(fieldName: string, message: string): KongErrorBody {
  return { code: KONG_ERROR_CODES.INVALID_UNIQUE, name: `invalid unique ${fieldName}`, message };
}

/** Code 11: `invalid option (tags: cannot be null)`. */
export function invalidOptions(options: LuaTable): KongErrorBody {
  const buf: string[] = [];
  for (const name of sortedKeys(options)) buf.push(`${String(name)}: ${String(options.get(name))}`);
  const message = buf.length === 1 ? `invalid option (${buf[0]})` : `${buf.length} option violations (${buf.join("; ")})`;
  return { code: KONG_ERROR_CODES.INVALID_OPTIONS, name: NAMES[11]!, message, options: luaToJson(options) };
}

/** One foreign reference Kong could not resolve by a unique field (e.g. `route: { name }`). */
export interface UnresolvedForeignKey {
  readonly field: string;
  readonly uniqueName: string;
  readonly value: string;
  readonly parent: string;
}

/** Code 13: `foreign key unresolved (route.name: the foreign key cannot be resolved with …)`. */
export function foreignKeysUnresolved(unresolved: readonly UnresolvedForeignKey[]): KongErrorBody {
  const fields: LuaTable = new Map();
  for (const u of unresolved) {
    const text = `the foreign key cannot be resolved with '${prettyWrite(luaTable([[u.uniqueName, u.value]]), "")}' for an existing '${u.parent}' entity`;
    const entry = (fields.get(u.field) as LuaTable | undefined) ?? new Map();
    entry.set(u.uniqueName, text);
    fields.set(u.field, entry);
  }
  const buf: string[] = [];
  for (const field of sortedKeys(fields)) {
    const entry = fields.get(field) as LuaTable;
    for (const sub of sortedKeys(entry)) buf.push(`${String(field)}.${String(sub)}: ${String(entry.get(sub))}`);
  }
  const message = buf.length === 1 ? `foreign key unresolved (${buf[0]})` : `${buf.length} foreign keys unresolved (${buf.join("; ")})`;
  return withFields(KONG_ERROR_CODES.FOREIGN_KEYS_UNRESOLVED, message, fields);
}

/** Code 4 on delete: `an existing 'routes' entity references this 'services' entity`. */
export function foreignKeyRestricted(parent: string, child: string): KongErrorBody {
  return withFields(KONG_ERROR_CODES.FOREIGN_KEY_VIOLATION, `an existing '${child}' entity references this '${parent}' entity`, luaTable([["@referenced_by", child]]));
}

/** Code 1: `invalid primary key: '{id="expected a valid UUID"}'` (a path segment of an entity without endpoint key). */
export function invalidPrimaryKey(errors: LuaTable): KongErrorBody {
  return withFields(KONG_ERROR_CODES.INVALID_PRIMARY_KEY, `invalid primary key: '${prettyWrite(errors, "")}'`, errors);
}
