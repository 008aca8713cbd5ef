import { Construct } from "constructs";
import { recordKongBody } from "./internal/kong-body.js";
import { derivedId, warnAboutSecrets } from "./internal/plugin-resources.js";
import { isUnresolved } from "./internal/tokens.js";
import { KongGatewayProvider } from "./kong-gateway-provider.js";
import { ENTITY_KIND_BY_NAME, type EntityKind } from "./schema/entity-kinds.js";
import { childField } from "./schema/engine/facts-schema.js";
import { convertEntityProps, entitySecretPaths, expandServiceUrl, validateEntityBody } from "./schema/engine/validate-entity.js";
import { loadEntityFacts } from "./schema/generated/entity-catalog.js";
import { propName } from "./schema/naming.js";
import { nameReference } from "./schema/references.js";
import { workspaceSchema } from "./schema/plugin-schema.js";
import type { EntityFacts, FieldFacts } from "./schema/facts.js";
import { KongEntityValidationError, valueAt, type ValidationIssue } from "./schema/validate.js";

/** The props every core entity construct takes beside its Kong fields. */
export interface KongEntityProps {
  /**
   * The Kong Admin API the entity lives in.
   *
   * @default - the only `KongGatewayProvider` of the stack
   */
  readonly provider?: KongGatewayProvider;
  /**
   * The workspace (Kong Enterprise).
   *
   * @default - unprefixed Admin API paths: the `default` workspace of Kong Enterprise, the only one of open-source Kong
   */
  readonly workspace?: string;
  /**
   * The entity's id (a UUID). Naming the id of an existing entity adopts it: the stack writes and
   * deletes it from then on.
   *
   * Kong: `id`.
   * @default - a UUID derived from the construct path and workspace: the same on every synth
   */
  readonly id?: string;
}

/** Entities declared in an app: Kong's unique keys, checked at synth. */
const claims = new WeakMap<Construct, Map<string, string>>();
/** Entities declared in an app by their unique keys, for references by name. */
const declared = new WeakMap<Construct, Map<string, KongEntityConstruct>>();

/**
 * A core Kong entity (a service, a route, a consumer, a credential, …): its Kong body is validated
 * against the entity's facts at the provider's Kong version and edition, and written by the stack's
 * sync resource at apply, parents before children. Its `id` is known at synth, so other constructs
 * refer to it as an object: `new Route(stack, "r", { service, paths: ["/api"] })`. The generated
 * constructs (`Service`, `Route`, `KeyAuth`, …) are this with their props.
 */
export abstract class KongEntityConstruct extends Construct {
  /** Kong's DAO name of the entity's kind, e.g. `services`. */
  readonly kind: string;
  /** The Kong id: the `id` prop, or a UUID derived from the construct path; known at synth. */
  readonly id: string;
  /** The workspace, or undefined for unprefixed Admin API paths (`default`). */
  readonly workspace?: string;
  readonly provider: KongGatewayProvider;

  protected constructor(scope: Construct, id: string, kindName: string, props: KongEntityProps) {
    super(scope, id);
    const kind = ENTITY_KIND_BY_NAME.get(kindName);
    const facts = loadEntityFacts(kindName);
    if (!kind || !facts) throw new Error(`internal error: no facts for entity kind ${kindName}`);
    const subject = `${kind.what} at "${this.node.path}"`;
    this.kind = kindName;
    this.provider = props.provider ?? KongGatewayProvider.of(this, subject);
    this.workspace = props.workspace;
    this.id = props.id ?? derivedId(this.node.path, props.workspace, this.provider.idNamespace);

    const { provider: _provider, workspace: _workspace, id: _id, ...fields } = props as KongEntityProps & Record<string, unknown>;
    const issues: ValidationIssue[] = [];
    const set = this.provider.syncSet;
    if (!set) {
      throw new KongEntityValidationError(subject, [
        {
          code: "invalid_value",
          kongPath: [],
          propPath: "provider",
          value: this.provider.layout,
          message: `Kong's core entities need the sync layout, and KongGatewayProvider "${this.provider.node.path}" uses "${this.provider.layout}": remove its layout prop (the sync layout is the default for terraform_data)`,
        },
      ]);
    }
    if (props.workspace !== undefined && !isUnresolved(props.workspace)) {
      const result = workspaceSchema().safeParse(props.workspace);
      if (!result.success) issues.push({ code: "invalid_value", kongPath: ["workspace"], propPath: "workspace", value: props.workspace, message: result.error.issues[0]!.message });
    }

    // references: a construct of the right kind, of the same provider and workspace, becomes `{ id }`;
    // so does a name of an entity declared before in the app (a later one's, when the stack is written)
    for (const [kong, targetKind] of Object.entries(kind.foreign)) {
      const prop = propName(kong);
      const value = resolveByName(this, targetKind, fields[prop]);
      fields[prop] = value;
      if (value instanceof KongEntityConstruct) {
        const problem = referenceProblem(this, value, targetKind);
        if (problem) issues.push({ code: "invalid_value", kongPath: [kong], propPath: prop, value: `${ENTITY_KIND_BY_NAME.get(value.kind)!.what} at "${value.node.path}"`, message: problem });
        fields[prop] = { id: value.id };
      }
    }
    if (kind.parent && fields[propName(kind.parent)] === undefined) {
      issues.push({ code: "invalid_value", kongPath: [kind.parent], propPath: propName(kind.parent), value: undefined, message: `required: the ${ENTITY_KIND_BY_NAME.get(kind.foreign[kind.parent]!)!.what} it belongs to (a construct, or { id })` });
    }

    for (const kong of kind.excluded ?? []) {
      const prop = propName(kong);
      if (fields[prop] === undefined) continue;
      issues.push({ code: "invalid_value", kongPath: [kong], propPath: prop, value: fields[prop], message: EXCLUDED_MESSAGES[`${kind.name}.${kong}`] ?? "not set by this construct" });
      delete fields[prop];
    }
    const converted = convertEntityProps(facts, fields, isUnresolved);
    issues.push(...converted.issues);
    let body = converted.body;
    if (kind.name === "services") {
      const expanded = expandServiceUrl(body, isUnresolved);
      body = expanded.body;
      if (expanded.issue) issues.push(expanded.issue);
    }
    if (kind.name === "targets") body = withTargetPort(body, isUnresolved);
    const target = this.provider.target;
    issues.push(...validateEntityBody(kind, facts, body, target, isUnresolved).filter((issue) => !issues.some((i) => i.propPath === issue.propPath)));
    if (issues.length === 0) issues.push(...claimEntity(this, kind, body));
    if (issues.length > 0) throw new KongEntityValidationError(subject, issues.map((issue) => (isSecretField(kind, facts, issue.kongPath) ? { ...issue, secret: true } : issue)));

    const secretPaths = entitySecretPaths(kind, facts, body, target.dataIndex);
    this.provider.declared.push(this);
    warnAboutSecrets(
      this,
      subject,
      secretPaths.map((s) => ({ propPath: s.propPath, value: valueAt(body, s.kongPath) })),
      `{vault://env/${kind.collection}-secret}`,
      `the synthesized stack's desired set (${set.file}; never into Terraform's plans, state or logs)`,
    );
    recordKongBody(this, { type: "entity", kind: kind.name, id: this.id, ...(props.workspace !== undefined ? { workspace: props.workspace } : {}), body, secretPaths, facts, what: kind.what });
    const problems = set.addEntity({
      scope: this,
      kind: kind.name,
      id: this.id,
      ...(props.workspace !== undefined ? { workspace: props.workspace } : {}),
      adopt: props.id !== undefined,
      body,
      secretPaths,
      facts,
    });
    if (problems.length > 0) throw new KongEntityValidationError(subject, problems);
  }

  /** The reference Kong takes: `{ id }`. */
  toKongReference(): { readonly id: string } {
    return { id: this.id };
  }
}

/** Why a field of Kong is not a prop of its construct. */
const EXCLUDED_MESSAGES: Readonly<Record<string, string>> = {
  "certificates.snis":
    "not set on a Certificate: Kong makes a certificate's SNIs exactly this list on every write, deleting those declared elsewhere; declare an Sni construct per name (new Sni(stack, id, { certificate, name }))",
};

/** Whether a Kong path of an entity body is, or is inside, a secret field. */
function isSecretField(kind: EntityKind, facts: EntityFacts, kongPath: ReadonlyArray<string | number>): boolean {
  const head = kongPath[0];
  if (typeof head !== "string") return false;
  if ((kind.secrets ?? []).includes(head)) return true;
  let field: FieldFacts | undefined = facts.fields;
  for (const segment of kongPath) {
    field = childField(field, segment);
    if (field?.enc || field?.ref) return true;
  }
  return false;
}

/**
 * A target without a port takes Kong's default, 8000 (kong/db/dao/targets.lua), written out so that
 * what Kong stores is what the stack declares. A reference is left as it is.
 */
function withTargetPort(body: Record<string, unknown>, isUnresolved: (value: unknown) => boolean): Record<string, unknown> {
  const target = body.target;
  if (typeof target !== "string" || isUnresolved(target)) return body;
  const hasPort = target.startsWith("[") ? /\]:\d+$/.test(target) : /^[^:]+:\d+$/.test(target);
  const bareIpv6 = !target.startsWith("[") && (target.match(/:/g) ?? []).length > 1;
  if (hasPort) return body;
  return { ...body, target: bareIpv6 ? `[${target}]:8000` : `${target}:8000` };
}

/** What is wrong with a reference from one construct to another, or undefined. */
export function referenceProblem(from: { readonly provider: KongGatewayProvider; readonly workspace?: string }, to: KongEntityConstruct, kindName: string): string | undefined {
  const wanted = ENTITY_KIND_BY_NAME.get(kindName)!;
  const actual = ENTITY_KIND_BY_NAME.get(to.kind)!;
  if (to.kind !== kindName) return `expected a ${wanted.what} (a ${wanted.construct} construct, or { id }), got a ${actual.what}`;
  if (to.provider !== from.provider) return `the ${actual.what} belongs to another KongGatewayProvider ("${to.provider.node.path}"): Kong's foreign keys hold within one Admin API`;
  if ((to.workspace ?? "default") !== (from.workspace ?? "default")) {
    return `the ${actual.what} is in workspace "${to.workspace ?? "default"}", this one in "${from.workspace ?? "default"}": Kong's foreign keys hold within one workspace`;
  }
  return undefined;
}

/** Kong's unique keys (the id, and each unique field of the kind) against the entities declared before in the same app. */
function claimEntity(scope: KongEntityConstruct, kind: EntityKind, body: Record<string, unknown>): ValidationIssue[] {
  const root = scope.node.root;
  const taken = claims.get(root) ?? new Map<string, string>();
  claims.set(root, taken);
  const server = scope.provider.serverUrl;
  const workspace = scope.workspace ?? "default";
  const keys: Array<[string, string, unknown, string]> = [[`${server}|id|${kind.name}|${scope.id.toLowerCase()}`, "id", scope.id, `the ${kind.what} id is also used by`]];
  const kongFields = new Map<string, string>([["id", "id"]]);
  for (const field of kind.unique) {
    const value = body[field];
    if (typeof value !== "string" || isUnresolved(value)) continue;
    keys.push([`${server}|${workspace}|${kind.name}|${field}|${value}`, propName(field), value, `Kong keeps ${field} unique among ${kind.collection} in workspace "${workspace}", and it is also used by`]);
    kongFields.set(propName(field), field);
  }
  const issues: ValidationIssue[] = [];
  for (const [key, propPath, value, message] of keys) {
    const other = taken.get(key);
    if (other !== undefined) issues.push({ code: "conflict", kongPath: [kongFields.get(propPath)!], propPath, value, message: `${message} "${other}"` });
  }
  if (issues.length === 0) {
    for (const [key] of keys) taken.set(key, scope.node.path);
    const byKey = declared.get(root) ?? new Map<string, KongEntityConstruct>();
    declared.set(root, byKey);
    for (const field of kind.unique) if (typeof body[field] === "string" && !isUnresolved(body[field])) byKey.set(`${scope.provider.node.path}|${workspace}|${kind.name}|${field}|${String(body[field])}`, scope);
  }
  return issues;
}

/**
 * A reference by name (`{ name: "checkout" }`) to an entity declared before in the same app, for the
 * same provider and workspace, as the entity's construct; any other value as it is (a name another
 * provider's entity has is looked up at apply, like any name the provider does not declare).
 */
export function resolveByName(from: Construct & { readonly provider: KongGatewayProvider; readonly workspace?: string }, kindName: string, value: unknown): unknown {
  const byName = nameReference(value, ENTITY_KIND_BY_NAME.get(kindName)?.endpointKey);
  if (byName === undefined || typeof byName.value !== "string" || isUnresolved(byName.value)) return value;
  const key = `${from.provider.node.path}|${from.workspace ?? "default"}|${kindName}|${byName.key}|${byName.value}`;
  return declared.get(from.node.root)?.get(key) ?? value;
}
