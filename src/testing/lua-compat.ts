/**
 * Small re-implementations of the Lua, Penlight and nginx behaviours that shape the exact bytes
 * of Kong's Admin API answers: `pl.pretty.write` (used in error messages), Lua's `tostring` and
 * `tonumber`, nginx's base64 decoder (pagination offsets) and `ngx.escape_uri` (`next` links).
 *
 * Lua tables are modelled as `Map`s so that integer keys (set item positions) and string keys
 * (field names) stay distinct, as they are in Kong's error tables.
 */

/** A Lua value as it appears in Kong's error tables and unique keys; `null` is `ngx.null`. */
export type LuaValue = string | number | boolean | null | LuaTable;

/** A Lua table; integer keys are positions (1-based), string keys are field names. */
export interface LuaTable extends Map<string | number, LuaValue> {}

const LUA_KEYWORDS = new Set([
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
]);

/** Lua's `tostring` for the scalar values Kong prints (`ngx.null` prints as `userdata: NULL`). */
export function luaToString(value: Exclude<LuaValue, LuaTable> | undefined): string {
  if (value === undefined) return "nil";
  if (value === null) return "userdata: NULL";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(14)));
  }
  return String(value);
}

/** Lua's `%q` for the strings that can reach an error message. */
export function luaQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 32 || code === 127) out += `\\${code}`;
    else out += ch;
  }
  return `${out}"`;
}

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !LUA_KEYWORDS.has(key);
}

/** Keys of a Lua table in `table.sort` order: numbers numerically, strings by bytes. */
export function sortedKeys(table: LuaTable): Array<string | number> {
  const keys = [...table.keys()];
  return keys.sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}

/**
 * Penlight's `pretty.write(value, space)`: `space` "" gives the one-line form Kong uses for keys
 * (`{id="…"}`), the default two spaces give the multi-line form Kong uses for nested field errors.
 */
export function prettyWrite(value: LuaValue, space = "  "): string {
  if (!(value instanceof Map)) return typeof value === "string" ? luaQuote(value) : luaToString(value);
  const set = space === "" ? "=" : " = ";
  const lines: string[] = [];
  let line = "";
  const put = (s: string): void => {
    if (s.length > 0) line += s;
  };
  const putln = (s: string): void => {
    if (line.length > 0) {
      lines.push(line + s);
      line = "";
    } else {
      lines.push(s);
    }
  };
  const eatLastComma = (): void => {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.endsWith(",")) lines[last] = lines[last]!.slice(0, -1);
  };
  const writeit = (t: LuaValue, oldIndent: string, indent: string): void => {
    if (typeof t === "string") {
      putln(`${luaQuote(t)},`);
      return;
    }
    if (!(t instanceof Map)) {
      const text = luaToString(t);
      putln(`${text.includes(" ") ? luaQuote(text) : text},`);
      return;
    }
    const newIndent = indent + space;
    putln("{");
    const used = new Set<number>();
    for (let i = 1; t.has(i); i++) {
      put(indent);
      writeit(t.get(i)!, indent, newIndent);
      used.add(i);
    }
    const writeEntry = (key: string | number, val: LuaValue): void => {
      if (typeof key === "number") {
        if (used.has(key)) return;
        put(`${indent}[${luaToString(key)}]${set}`);
      } else {
        put(`${indent}${isIdentifier(key) ? key : `[${luaQuote(key)}]`}${set}`);
      }
      writeit(val, indent, newIndent);
    };
    const keys = sortedKeys(t);
    for (const key of keys) if (typeof key === "string") writeEntry(key, t.get(key)!);
    for (const key of keys) if (typeof key === "number") writeEntry(key, t.get(key)!);
    eatLastComma();
    putln(`${oldIndent}},`);
  };
  writeit(value, "", space);
  eatLastComma();
  return lines.join(space.length > 0 ? "\n" : "");
}

/**
 * How lua-cjson (as configured by Kong) encodes a Lua table: a table whose keys are all positive
 * integers becomes an array (holes become `null`), anything else an object.
 */
export function luaToJson(value: LuaValue): unknown {
  if (!(value instanceof Map)) return value;
  const keys = [...value.keys()];
  if (keys.length > 0 && keys.every((k) => typeof k === "number" && Number.isInteger(k) && k > 0)) {
    const max = Math.max(...(keys as number[]));
    const out: unknown[] = [];
    for (let i = 1; i <= max; i++) out.push(value.has(i) ? luaToJson(value.get(i)!) : null);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) {
    Object.defineProperty(out, String(key), {
      value: luaToJson(value.get(key)!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Lua's `tonumber` on a query-string value: decimal or hexadecimal, surrounding spaces allowed. */
export function luaToNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(trimmed)) {
    const negative = trimmed.startsWith("-");
    const n = parseInt(trimmed.replace(/^[-+]/, ""), 16);
    return negative ? -n : n;
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^[-+]?(inf|nan)$/i.test(trimmed)) return undefined;
  return undefined;
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** nginx's `ngx_decode_base64`: stops at `=`, rejects other bytes outside the alphabet. */
export function nginxBase64Decode(text: string): Buffer | undefined {
  let len = 0;
  for (; len < text.length; len++) {
    const ch = text[len]!;
    if (ch === "=") break;
    if (!BASE64_ALPHABET.includes(ch)) return undefined;
  }
  if (len % 4 === 1) return undefined;
  return Buffer.from(text.slice(0, len), "base64");
}

/** `ngx.encode_base64(value, true)`: standard alphabet without padding. */
export function nginxBase64Encode(value: string): string {
  return Buffer.from(value, "utf8").toString("base64").replace(/=+$/, "");
}

/** `ngx.escape_uri`: everything but unreserved characters is percent-encoded. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `ngx.unescape_uri`: percent-decoding that leaves malformed sequences as they are. */
export function unescapeUri(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** Puts a message in Kong's error table; the first one at a place wins, a message never replaces a nested table. */
export function putError(table: LuaTable, path: ReadonlyArray<string | number>, message: LuaValue): void {
  if (path.length === 0) return;
  let at: LuaTable = table;
  for (const segment of path.slice(0, -1)) {
    const next = at.get(segment);
    if (next === undefined) {
      const created: LuaTable = new Map();
      at.set(segment, created);
      at = created;
    } else if (next instanceof Map) at = next;
    else return;
  }
  const last = path[path.length - 1]!;
  if (!at.has(last)) at.set(last, message);
}

/** The value at a Kong path of the error table (undefined when none). */
export function errorAt(table: LuaTable, path: ReadonlyArray<string | number>): LuaValue | undefined {
  let at: LuaValue | undefined = table;
  for (const segment of path) {
    if (!(at instanceof Map)) return at === undefined ? undefined : at;
    at = at.get(segment);
  }
  return at;
}
