/**
 * TypeScript source of the props `import` prints: multi-line objects, values inline when short and
 * flat, strings as JSON strings, keys quoted when they are not identifiers (map keys stay as Kong
 * holds them). Two kinds of value are source rather than data: {@link Code}, an expression (a
 * sensitive variable's `.stringValue`), and {@link CommentedOut}, a prop written as a comment line.
 */
import { isRecord } from "./plugin-values.js";

/** An expression printed as it is, with an optional comment after it on its line. */
export class Code {
  constructor(
    readonly text: string,
    readonly comment?: string,
  ) {}
}

/** A foreign key as a prop: the construct printed in the same output (its variable), else `{ id }`. */
export function referenceProp(id: string, references: ReadonlyMap<string, string> | undefined): unknown {
  const variable = references?.get(id.toLowerCase());
  return variable === undefined ? { id } : new Code(variable);
}

/** A prop printed as a comment line: `// <name>: <text>`. */
export class CommentedOut {
  constructor(readonly text: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_INLINE = 72;

/** A key as TypeScript source: as it is when an identifier, else a JSON string. */
export function renderKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** Whether a name is a TypeScript identifier. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * TypeScript source of an object: multi-line, values inline when short and flat. A record under a
 * key of `trailing` is always multi-line and ends with `trailing[key]` (a comment line) when that is set.
 */
export function renderObject(value: Record<string, unknown>, indent: string, trailing: Record<string, string | undefined> = {}, last?: string): string {
  const inner = `${indent}  `;
  const entries = Object.entries(value).map(([k, v]) => {
    const name = renderKey(k);
    if (v instanceof CommentedOut) return `${inner}// ${name}: ${v.text}`;
    if (v instanceof Code && v.comment !== undefined) return `${inner}${name}: ${v.text}, // ${v.comment}`;
    if (k in trailing && isRecord(v)) return `${inner}${name}: ${renderObject(v, inner, {}, trailing[k])},`;
    return `${inner}${name}: ${renderValue(v, inner)},`;
  });
  if (last !== undefined) entries.push(`${inner}${last}`);
  if (entries.length === 0) return "{}";
  return `{\n${entries.join("\n")}\n${indent}}`;
}

function renderValue(value: unknown, indent: string): string {
  if (value instanceof Code) return value.text;
  const inline = renderInline(value);
  if (inline !== undefined && inline.length + indent.length <= MAX_INLINE + 8) return inline;
  if (Array.isArray(value)) {
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${renderValue(item, inner)},${item instanceof Code && item.comment !== undefined ? ` // ${item.comment}` : ""}`).join("\n")}\n${indent}]`;
  }
  if (isPlainRecord(value)) return renderObject(value, indent);
  return inline ?? "undefined";
}

/** One-line source of a value, or undefined when it holds a non-empty record of more than two keys, or a comment. */
function renderInline(value: unknown): string | undefined {
  if (value instanceof Code) return value.comment === undefined ? value.text : undefined;
  if (value instanceof CommentedOut) return undefined;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "undefined";
  if (typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "undefined";
  if (Array.isArray(value)) {
    const items = value.map(renderInline);
    return items.every((i) => i !== undefined) ? `[${items.join(", ")}]` : undefined;
  }
  if (isPlainRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length > 2) return undefined;
    const parts: string[] = [];
    for (const [k, v] of entries) {
      const rendered = isPlainRecord(v) ? undefined : renderInline(v);
      if (rendered === undefined) return undefined;
      parts.push(`${renderKey(k)}: ${rendered}`);
    }
    return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  }
  return undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof Code) && !(value instanceof CommentedOut);
}
