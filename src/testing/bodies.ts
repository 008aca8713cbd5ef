/**
 * The Kong bodies of a stack as plain objects: what each plugin and core entity construct makes the
 * Admin API receive, the same for both layouts (the sync layout keeps them in a desired set beside
 * `cdk.tf.json`, which `Testing.synth` does not write; the per-resource layout as escaped JSON in
 * `triggers_replace`). Read from the constructs, so a snapshot of them changes by one line when one
 * field does.
 */
import type { IConstruct } from "constructs";
import { resolveTokens, stackOf, type TerraformStack } from "../internal/cdk.js";
import { kongBodyOf, type KongBodyRecord } from "../internal/kong-body.js";
import { isUnresolved } from "../internal/tokens.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { namesAmong, SCOPE_KINDS } from "../schema/references.js";
import { valueAt, withValueAt } from "../schema/validate.js";
import { isVaultReference } from "../schema/vault.js";

/** What a literal secret shows in the bodies. */
const SECRET = "(secret)";

/** One plugin of a stack, as Kong receives it. */
export interface KongPluginBody {
  /** Kong's name of the plugin, e.g. `rate-limiting` */
  readonly name: string;
  /** the construct path, e.g. `gateway/limits` */
  readonly path: string;
  /** the plugin id */
  readonly id: string;
  /** the workspace; absent for unprefixed Admin API paths (`default`) */
  readonly workspace?: string;
  /**
   * The body the Admin API receives, in Kong's names (`config.limit_by`), without the id: the plugin's
   * `name`, its scopes (`route: { id }`) and `config`, what the construct sets and nothing Kong
   * fills in. References read as Terraform writes them (`${var.route_id}`); a literal secret is
   * `(secret)`, a secret by reference `(secret from ${var.name})`.
   */
  readonly body: Record<string, unknown>;
}

/** One core entity of a stack (a service, a route, a credential, …), as Kong receives it. */
export interface KongEntityBody {
  /** the construct's name of its kind: `Service`, `Route`, `KeyAuth`, … */
  readonly kind: string;
  /** the construct path */
  readonly path: string;
  /** the entity id */
  readonly id: string;
  /** the workspace; absent for unprefixed Admin API paths (`default`) */
  readonly workspace?: string;
  /** the body the Admin API receives, in Kong's names, without the id; references and secrets as in {@link KongPluginBody.body} */
  readonly body: Record<string, unknown>;
}

/** The plugins and entities of a stack, each list in the order of the construct paths. */
export interface KongBodies {
  readonly entities: KongEntityBody[];
  readonly plugins: KongPluginBody[];
}

/**
 * The Kong bodies of every plugin and core entity construct in `scope` (a stack, an app, or any
 * construct): plain objects, keys sorted, secrets masked, references as Terraform expressions.
 *
 * @example
 * expect(kongBodies(stack)).toMatchSnapshot();
 */
export function kongBodies(scope: IConstruct): KongBodies {
  if (!isConstruct(scope)) throw new TypeError(`kongBodies takes a stack (or any construct), got ${describeValue(scope)}`);
  const entities: KongEntityBody[] = [];
  const plugins: KongPluginBody[] = [];
  const records = scope.node.findAll().flatMap((construct) => {
    const record = kongBodyOf(construct);
    return record ? [{ construct, record, provider: (construct as { readonly provider?: unknown }).provider }] : [];
  });
  // a reference by name to an entity of the same provider and workspace is its `{ id }`, as the desired set has it
  const byProvider = new Map<unknown, ReturnType<typeof namesAmong>>();
  for (const provider of new Set(records.map((r) => r.provider))) {
    byProvider.set(provider, namesAmong(records.filter((r) => r.provider === provider && r.record.type === "entity").map((r) => r.record)));
  }
  for (const { construct, record, provider } of records) {
    const stack = stackOf(construct);
    const foreign = record.type === "plugin" ? SCOPE_KINDS : (ENTITY_KIND_BY_NAME.get(record.kind)?.foreign ?? {});
    const named = { ...record, body: byProvider.get(provider)!(record.body, record.workspace, foreign) };
    const common = {
      path: construct.node.path,
      id: render(stack, record.id) as string,
      ...(record.workspace !== undefined ? { workspace: render(stack, record.workspace) as string } : {}),
      body: bodyOf(stack, named),
    };
    if (record.type === "plugin") plugins.push({ name: record.kind, ...common });
    else entities.push({ kind: ENTITY_KIND_BY_NAME.get(record.kind)?.construct ?? record.kind, ...common });
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { entities: entities.sort(byPath), plugins: plugins.sort(byPath) };
}

/** The body as Kong receives it: without the id, secrets masked, references resolved, keys sorted. */
function bodyOf(stack: TerraformStack, record: KongBodyRecord): Record<string, unknown> {
  const { id: _id, ...withoutId } = record.body;
  let body: Record<string, unknown> = withoutId;
  for (const { kongPath } of record.secretPaths) {
    const value = valueAt(body, kongPath);
    if (typeof value !== "string" || isVaultReference(value)) continue;
    body = withValueAt(body, kongPath, isUnresolved(value) ? secretReference(render(stack, value)) : SECRET) as Record<string, unknown>;
  }
  return render(stack, body) as Record<string, unknown>;
}

/** A secret given by reference: the variable or attribute it comes from, never a literal part of it. */
function secretReference(resolved: unknown): string {
  const address = typeof resolved === "string" ? /^\$\{([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+)\}$/.exec(resolved)?.[1] : undefined;
  return address === undefined ? "(secret from a reference)" : `(secret from \${${address}})`;
}

/** A value with its tokens resolved as Terraform writes them (`${var.route_id}`), object keys sorted. */
function render(stack: TerraformStack, value: unknown): unknown {
  return sortKeys(resolveTokens(stack, value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export function isConstruct(value: unknown): value is IConstruct {
  return typeof value === "object" && value !== null && typeof (value as { node?: { findAll?: unknown } }).node?.findAll === "function";
}

/** A received value that is not a construct, in a few words. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value.trimStart().startsWith("{") ? "a string (Testing.synth's output?)" : "a string";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object that is not a construct" : String(value);
}
