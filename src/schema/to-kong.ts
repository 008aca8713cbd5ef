/**
 * camelCase attributes → the Kong request body (snake_case, `"name": "session"`, unset fields omitted,
 * empty lists kept: in Kong `[]` is a value, and defaults fill only missing fields; sets without
 * duplicates). Unknown props are reported here, with a "did you mean".
 */
import { CONFIG_FIELDS, PLUGIN_FIELDS, RECORD_FIELDS, camelCase, formatPath, snakeCase, type FieldSpec } from "./fields.js";
import { withReferences } from "./references.js";
import { closest } from "./suggest.js";
import type { UnresolvedPredicate, ValidationIssue } from "./validate.js";

/** How one prop maps to Kong: a leaf field, a record of props, or a list of records. */
type Node =
  | { readonly type: "leaf"; readonly kong: string; readonly set: boolean }
  | {
      readonly type: "record";
      readonly kong: string;
      readonly children: ReadonlyMap<string, Node>;
      /** kept when empty (a foreign key's missing `id` is reported, a list item keeps its place) */
      readonly keepEmpty?: boolean;
    }
  | { readonly type: "list"; readonly kong: string; readonly item: Node };

const leaf = (f: FieldSpec): Node => ({ type: "leaf", kong: f.kong, set: f.kind === "set" });
const record = (kong: string, fields: readonly FieldSpec[]): RecordNode => ({
  type: "record",
  kong,
  children: new Map(fields.map((f) => [f.prop, leaf(f)])),
});

/** Props of the construct that are not part of the Kong body. */
export const NON_PAYLOAD_PROPS = ["workspace", "provider"] as const;

type RecordNode = Extract<Node, { type: "record" }>;

let root: RecordNode | undefined;
function tree(): RecordNode {
  if (root) return root;
  const children = new Map<string, Node>(PLUGIN_FIELDS.map((f) => [f.prop, leaf(f)]));
  children.set("config", record("config", CONFIG_FIELDS));
  // `route: {}` must not silently become "every route": the schema reports the missing id
  children.set("route", { ...record("route", RECORD_FIELDS.route!), keepEmpty: true });
  children.set("service", { ...record("service", RECORD_FIELDS.service!), keepEmpty: true });
  // an item is kept even when empty: dropping it would report "expected a record" for a record given
  children.set("partials", { type: "list", kong: "partials", item: { ...record("", RECORD_FIELDS.partials!), keepEmpty: true } });
  children.set("ordering", {
    type: "record",
    kong: "ordering",
    children: new Map([
      ["after", record("after", RECORD_FIELDS["ordering.after"]!)],
      ["before", record("before", RECORD_FIELDS["ordering.before"]!)],
    ]),
  });
  return (root = { type: "record", kong: "", children });
}

export interface ToKongResult {
  readonly payload: Record<string, unknown>;
  readonly issues: ValidationIssue[];
}

/**
 * Builds the Kong body from the construct's attributes.
 *
 * @param isUnresolved values for which it returns true (cdktf tokens) are copied as they are
 */
export function toKongPayload(attributes: object, isUnresolved: UnresolvedPredicate = () => false): ToKongResult {
  const issues: ValidationIssue[] = [];
  const payload: Record<string, unknown> = { name: "session" };
  const ignore = new Set<string>(NON_PAYLOAD_PROPS);
  convertRecord(tree(), withReferences(attributes) as Record<string, unknown>, payload, [], [], issues, isUnresolved, ignore);
  return { payload, issues };
}

function convertRecord(
  node: RecordNode,
  input: Record<string, unknown>,
  out: Record<string, unknown>,
  kongPath: Array<string | number>,
  propPath: Array<string | number>,
  issues: ValidationIssue[],
  isUnresolved: UnresolvedPredicate,
  ignore: ReadonlySet<string> = new Set(),
): void {
  for (const [prop, value] of Object.entries(input)) {
    if (ignore.has(prop) || value === undefined || value === null) continue;
    const child = node.children.get(prop);
    if (!child) {
      issues.push(unknownProp(node, prop, value, kongPath, propPath));
      continue;
    }
    const converted = convertValue(child, value, [...kongPath, child.kong], [...propPath, prop], issues, isUnresolved);
    if (converted !== undefined) out[child.kong] = converted;
  }
}

function convertValue(
  node: Node,
  value: unknown,
  kongPath: Array<string | number>,
  propPath: Array<string | number>,
  issues: ValidationIssue[],
  isUnresolved: UnresolvedPredicate,
): unknown {
  if (isUnresolved(value)) return value;
  switch (node.type) {
    case "leaf":
      // a list where a scalar belongs is for the schema to report
      if (Array.isArray(value) && node.set) return dedupe(value, isUnresolved);
      return value;
    case "record": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return value; // the schema reports it
      const out: Record<string, unknown> = {};
      convertRecord(node, value as Record<string, unknown>, out, kongPath, propPath, issues, isUnresolved);
      return Object.keys(out).length === 0 && !node.keepEmpty ? undefined : out;
    }
    case "list": {
      if (!Array.isArray(value)) return value;
      return value.map((item, i) => convertValue(node.item, item, [...kongPath, i], [...propPath, i], issues, isUnresolved));
    }
  }
}

/** Kong drops duplicates of a set silently, keeping the first; so do we, so plans stay stable. */
function dedupe(values: unknown[], isUnresolved: UnresolvedPredicate): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    if (isUnresolved(v)) return true;
    const key = typeof v === "string" || typeof v === "number" ? v : JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function unknownProp(
  node: RecordNode,
  prop: string,
  value: unknown,
  kongPath: ReadonlyArray<string | number>,
  propPath: ReadonlyArray<string | number>,
): ValidationIssue {
  const props = [...node.children.keys()];
  const exact = props.find((p) => snakeCase(p) === prop || p === camelCase(prop));
  const guess = exact ?? closest(prop, props);
  return {
    code: "unknown_field",
    kongPath: [...kongPath, snakeCase(prop)],
    propPath: formatPath([...propPath, prop]),
    value,
    message: "unknown field",
    ...(guess ? { hint: `did you mean ${formatPath([...propPath, guess])}?` } : {}),
  };
}
