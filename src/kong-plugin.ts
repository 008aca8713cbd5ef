import { Construct } from "constructs";
import type { DataResource, NullResource } from "./internal/cdk.js";
import { recordKongBody } from "./internal/kong-body.js";
import { claimPlugin, derivedId, pluginResources, referencesNeedInput, warnAboutSecrets } from "./internal/plugin-resources.js";
import { isUnresolved } from "./internal/tokens.js";
import { KongGatewayProvider } from "./kong-gateway-provider.js";
import { KongEntityConstruct, referenceProblem, resolveByName } from "./kong-entity.js";
import { nameReference, SCOPE_KINDS } from "./schema/references.js";
import { ENTITY_KIND_BY_NAME } from "./schema/entity-kinds.js";
import { attributesAt } from "./schema/engine/facts-schema.js";
import { convertPluginProps, kongPathToProps, validatePluginBody } from "./schema/engine/validate-plugin.js";
import type { FieldFacts, PluginFacts } from "./schema/facts.js";
import { PROTOCOLS, formatPath } from "./schema/fields.js";
import { loadPluginFacts } from "./schema/generated/catalog.js";
import { propName } from "./schema/naming.js";
import { isSecretName } from "./schema/plugin-secrets.js";
import { DATA_VERSIONS, OSS_VERSIONS } from "./schema/generated/versions.js";
import { workspaceSchema } from "./schema/plugin-schema.js";
import type { KongPluginOrdering, KongPluginPartial, OneOf, PluginProtocol, Resolvable } from "./schema/types.js";
import { KongPluginValidationError, valueAt, type ValidationIssue } from "./schema/validate.js";

/**
 * A reference to another Kong entity (Kong: `route`, `service`, `consumer`, `consumer_group`): its
 * construct, its id, or its name as Kong accepts it (`{ name }`, a consumer's `{ username }`).
 */
export interface KongEntityReference {
  /**
   * The entity's id (a UUID), often another resource's attribute.
   *
   * @default - required unless the entity is named
   */
  readonly id?: string;
  /**
   * The name of a route, service or consumer group. One declared in the app stands for its construct;
   * any other is looked up when the stack is applied (the sync layout), and the plugin stores its id.
   *
   * @default - the id names the entity
   */
  readonly name?: string;
  /**
   * A consumer's username, as `name` for the other kinds.
   *
   * @default - the id names the consumer
   */
  readonly username?: string;
}

/** The attributes every plugin takes beside its `config` and the scopes only some take, camelCased. */
export interface KongPluginEntityProps {
  /**
   * The Kong Admin API the plugin lives in.
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
   * The plugin's id (a UUID). Naming the id of an existing plugin adopts it.
   *
   * Kong: `id`.
   * @default - a UUID derived from the construct path and workspace: the same on every synth
   */
  readonly id?: string;
  /**
   * A unique name of the plugin instance.
   *
   * Kong: `instance_name`.
   * @default - none
   */
  readonly instanceName?: string;
  /**
   * Whether the plugin is applied.
   *
   * Kong: `enabled`.
   * @default true
   */
  readonly enabled?: boolean | Resolvable;
  /**
   * The protocols the plugin runs for; must overlap the route's.
   *
   * Kong: `protocols`.
   * @default - the plugin's default (most: grpc, grpcs, http, https)
   */
  readonly protocols?: OneOf<PluginProtocol>[];
  /**
   * Tags for grouping and filtering (printable ASCII except `,` and `/`).
   *
   * Kong: `tags`; the owner tag is added after them.
   * @default - none
   */
  readonly tags?: string[];
  /**
   * Dynamic plugin ordering (Kong Enterprise).
   *
   * Kong: `ordering`.
   * @default - static ordering by priority
   */
  readonly ordering?: KongPluginOrdering;
  /**
   * The partials the plugin uses (Kong Enterprise 3.10+).
   *
   * Kong: `partials`.
   * @default - none
   */
  readonly partials?: KongPluginPartial[] | Resolvable;
  /**
   * An expression that decides per request whether the plugin runs (Kong Enterprise 3.15+), at most
   * 1024 characters.
   *
   * Kong: `condition`.
   * @default - always runs
   */
  readonly condition?: string;
  /**
   * Unix epoch when the plugin was created.
   *
   * Kong: `created_at`.
   * @default - set by Kong on creation and kept by every apply
   */
  readonly createdAt?: number;
  /**
   * Unix epoch when the plugin was last updated.
   *
   * Kong: `updated_at`.
   * @default - set by Kong
   */
  readonly updatedAt?: number;
  /**
   * Only requests through this route.
   *
   * Kong: `route`.
   * @default - every route
   */
  readonly route?: KongEntityReference;
  /**
   * Only requests through the routes of this service.
   *
   * Kong: `service`.
   * @default - every service
   */
  readonly service?: KongEntityReference;
}

/** What a plugin construct is built from. */
interface PluginDefinition {
  readonly name: string;
  /** the plugin's facts; for a plugin this library does not know, {@link customPluginFacts} */
  readonly facts: PluginFacts;
  /** the Kong body and the problems of converting the props to it */
  readonly converted: { readonly body: Record<string, unknown>; readonly issues: ValidationIssue[] };
  /**
   * The construct validated the body by rules of its own (the session plugin's hand-verified ones):
   * only what the targeted Kong lacks is checked here.
   * @default false
   */
  readonly ownRules?: boolean;
  /** @default KongPluginValidationError */
  readonly error?: new (subject: string, issues: readonly ValidationIssue[]) => Error;
  /**
   * A plugin this library has no facts of (a custom plugin): its config is not validated, by the
   * construct nor by the apply-time program.
   * @default false
   */
  readonly custom?: boolean;
  /**
   * The props give `config` in Kong's names (`KongPlugin`): its problems are named that way too.
   * @default false
   */
  readonly configInKongNames?: boolean;
}

/**
 * A plugin of any name: its Kong body is validated against the facts of the plugin at the provider's
 * Kong version and edition, and provisioned like `PluginSession`. The generated constructs
 * (`PluginRateLimiting`, …) and `KongPlugin` are this with their props.
 */
export abstract class KongPluginConstruct extends Construct {
  /** Kong's name of the plugin, e.g. `rate-limiting`. */
  readonly pluginName: string;
  /** The Kong plugin id: the `id` prop, or a UUID derived from the construct path; known at synth. */
  readonly pluginId: string;
  /** The workspace, or undefined for unprefixed Admin API paths (`default`). */
  readonly workspace?: string;
  readonly provider: KongGatewayProvider;
  /**
   * The resource whose destroy deletes the plugin; created once, never replaced: its id is the
   * plugin's owner token. With the sync layout, the provider's owner resource, shared by its plugins.
   */
  readonly identityResource: DataResource | NullResource;
  /**
   * The resource whose creation writes the plugin; replaced on every configuration change. With the
   * sync layout, the provider's sync resource, shared by its plugins.
   */
  readonly configResource: DataResource | NullResource;
  /** Only when the id or workspace is a reference: replaced when its value changes, its destroy deletes the previous plugin. */
  readonly referencedIdentityResource?: DataResource | NullResource;

  protected constructor(scope: Construct, id: string, props: KongPluginEntityProps, definition: () => PluginDefinition) {
    super(scope, id);
    const { name, facts, converted, ownRules = false, custom = false, configInKongNames = false, error: ErrorClass = KongPluginValidationError } = definition();
    const subject = `${name} plugin at "${this.node.path}"`;
    this.provider = props.provider ?? KongGatewayProvider.of(this, subject);
    this.pluginName = name;
    this.workspace = props.workspace;
    this.pluginId = props.id ?? derivedId(this.node.path, props.workspace, this.provider.idNamespace);

    // a scope given by the name of an entity declared before in the app becomes its `{ id }`
    const body: Record<string, unknown> = { ...converted.body };
    for (const [scope, kind] of Object.entries(SCOPE_KINDS)) {
      const value = resolveByName(this, kind, body[scope]);
      if (value instanceof KongEntityConstruct) body[scope] = { id: value.id };
    }
    const issues: ValidationIssue[] = [...converted.issues];
    // a construct given as a scope: of the right kind, the same provider and workspace
    const scopeProps = props as KongPluginEntityProps & { readonly consumer?: unknown; readonly consumerGroup?: unknown };
    for (const [prop, kind] of [["route", "routes"], ["service", "services"], ["consumer", "consumers"], ["consumerGroup", "consumer_groups"]] as const) {
      const value = scopeProps[prop];
      if (!(value instanceof KongEntityConstruct)) continue;
      const problem = referenceProblem(this, value, kind);
      if (problem) issues.push({ code: "invalid_value", kongPath: [prop === "consumerGroup" ? "consumer_group" : prop], propPath: prop, value: `${value.kind} at "${value.node.path}"`, message: problem });
    }
    const namer = configInKongNames ? (kongPath: ReadonlyArray<string | number>) => (kongPath[0] === "config" ? formatPath(kongPath) : kongPathToProps(facts, kongPath)) : undefined;
    const found = validatePluginBody(facts, body, this.provider.target, isUnresolved, namer);
    const named = configInKongNames ? found.map((issue) => (issue.kongPath[0] === "config" ? inKongNames(facts, issue) : issue)) : found;
    issues.push(...(ownRules ? named.filter((issue) => issue.code === "unavailable") : named));
    if (!ownRules) issues.push(...workspaceIssues(props.workspace));
    const scopes = ["route", "service", "consumer", "consumer_group"].filter((s) => facts.scopes[s] !== undefined);
    issues.push(
      ...claimPlugin(this, this.provider, {
        name,
        id: this.pluginId,
        ...(props.workspace !== undefined ? { workspace: props.workspace } : {}),
        instanceName: props.instanceName,
        scope: { route: body.route as KongEntityReference, service: body.service as KongEntityReference, consumer: body.consumer as KongEntityReference, consumerGroup: body.consumer_group as KongEntityReference },
        scopes: scopes.map((s) => s.replace("_", " ")),
      }),
      ...referencesNeedInput(props, this.provider.backend),
      ...(this.provider.syncSet ? [] : namesNeedSync(body, this.provider)),
    );
    if (issues.length > 0) throw new ErrorClass(subject, issues);

    const secretPaths = secretsOf(facts, body, this.provider.target.dataIndex);
    this.provider.declared.push(this);
    warnAboutSecrets(
      this,
      subject,
      secretPaths.map((s) => ({ propPath: s.propPath, value: valueAt(body, s.kongPath) })),
      `{vault://env/${name}-secret}`,
      ...(this.provider.syncSet ? [`the synthesized stack's desired set (${this.provider.syncSet.file}; never into Terraform's plans, state or logs)`] : []),
    );
    recordKongBody(this, {
      type: "plugin",
      kind: name,
      id: this.pluginId,
      ...(props.workspace !== undefined ? { workspace: props.workspace } : {}),
      body,
      secretPaths,
      ...(custom ? {} : { facts }),
      configInKongNames,
    });
    if (this.provider.syncSet) {
      // the sync layout: the provider's two resources stand for every plugin's
      const problems = this.provider.syncSet.add({
        scope: this,
        pluginName: name,
        pluginId: this.pluginId,
        ...(props.workspace !== undefined ? { workspace: props.workspace } : {}),
        adopt: props.id !== undefined,
        custom,
        body,
        secretPaths,
        ...(!custom && !ownRules ? { facts } : {}),
      });
      if (problems.length > 0) throw new ErrorClass(subject, problems);
      this.identityResource = this.provider.ownerResource!;
      this.configResource = this.provider.reaper;
      return;
    }
    const resources = pluginResources(
      this,
      this.provider,
      {
        pluginName: name,
        pluginId: this.pluginId,
        ...(props.workspace !== undefined ? { workspace: props.workspace } : {}),
        adopt: props.id !== undefined,
        body,
        secretPaths,
        target: this.provider.target,
        rules: ownRules ? "built-in" : custom ? "custom" : "facts",
      },
      (problems) => new ErrorClass(subject, problems),
    );
    this.identityResource = resources.identityResource;
    this.configResource = resources.configResource;
    if (resources.referencedIdentityResource) this.referencedIdentityResource = resources.referencedIdentityResource;
  }

  /** @internal for the generated constructs: the definition of a typed plugin of known facts */
  protected static typed(name: string, props: object): PluginDefinition {
    const facts = loadPluginFacts(name);
    if (!facts) throw new Error(`internal error: no facts for plugin ${name}`);
    return { name, facts, converted: convertPluginProps(facts, props, isUnresolved) };
  }
}

/** Props of {@link KongPlugin}: any plugin by name, its `config` in Kong's names. */
export interface KongPluginProps extends KongPluginEntityProps {
  /**
   * Kong's name of the plugin: a bundled one (`rate-limiting`), or a custom plugin installed on the
   * nodes.
   */
  readonly name: string;
  /**
   * The plugin's configuration in Kong's names (snake_case, as the Admin API takes it). Validated at
   * synth when the name is a plugin this library knows.
   *
   * @default - every field takes Kong's default
   */
  readonly config?: Record<string, unknown> | Resolvable;
  /**
   * Only requests of this consumer.
   *
   * Kong: `consumer`.
   * @default - every consumer
   */
  readonly consumer?: KongEntityReference;
  /**
   * Only requests of this consumer group (Kong Enterprise).
   *
   * Kong: `consumer_group`.
   * @default - every consumer group
   */
  readonly consumerGroup?: KongEntityReference;
}

/**
 * Any Kong plugin by name, with an untyped `config` in Kong's names: custom plugins, or a bundled
 * plugin written as the Admin API takes it. A known plugin's config is validated like its typed
 * construct's (`PluginRateLimiting` for `rate-limiting`).
 *
 * @example
 * new KongPlugin(stack, "limits", { name: "rate-limiting", config: { minute: 5, policy: "local" }, route: { id: routeId } });
 */
export class KongPlugin extends KongPluginConstruct {
  constructor(scope: Construct, id: string, props: KongPluginProps) {
    super(scope, id, props, () => {
      const known = typeof props.name === "string" ? loadPluginFacts(props.name) : undefined;
      const facts = known ?? customPluginFacts(String(props.name));
      const { config, name, ...entity } = props;
      // the entity fields convert like any plugin's; the config is in Kong's names already
      const converted = convertPluginProps(facts, entity, isUnresolved);
      const issues = [...converted.issues];
      if (typeof name !== "string" || !/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
        issues.push({ code: "invalid_value", kongPath: ["name"], propPath: "name", value: name, message: "expected a plugin name (lower-case letters, digits, - and _)" });
      }
      const body: Record<string, unknown> = { ...converted.body, name, ...(config !== undefined && config !== null ? { config } : {}) };
      return { name: String(name), facts, converted: { body, issues }, custom: known === undefined, configInKongNames: true };
    });
  }
}

/** An issue of `config` named in Kong's names, its "did you mean" too (for props given in Kong's names). */
function inKongNames(facts: PluginFacts, issue: ValidationIssue): ValidationIssue {
  const renamed: ValidationIssue = { ...issue, propPath: formatPath(issue.kongPath) };
  const guess = /^did you mean (config(?:\.[A-Za-z0-9_]+)+)\?$/.exec(issue.hint ?? "")?.[1];
  if (guess === undefined) return renamed;
  // the guess is a sibling of the unknown field: the Kong field of that record whose prop name it is
  const parent = issue.kongPath.slice(0, -1);
  let record: FieldFacts | undefined = facts.config;
  for (const segment of parent.slice(1)) record = typeof segment === "string" ? record?.f?.[segment] : record?.i;
  const last = guess.split(".").pop()!;
  const kong = Object.keys(record?.f ?? {}).find((name) => propName(name) === last);
  return kong === undefined ? renamed : { ...renamed, hint: `did you mean ${formatPath([...parent, kong])}?` };
}

const ALL_VERSIONS = (1 << DATA_VERSIONS.length) - 1;

/**
 * The facts of a plugin this library does not know (a custom plugin): it may exist anywhere and be
 * scoped to anything; its config is not checked.
 */
export function customPluginFacts(name: string): PluginFacts {
  return {
    name,
    ee: ALL_VERSIONS,
    oss: (1 << OSS_VERSIONS.length) - 1,
    protocols: { t: "array", i: { t: "string", e: [...PROTOCOLS] } },
    scopes: { route: ALL_VERSIONS, service: ALL_VERSIONS, consumer: ALL_VERSIONS, consumer_group: ALL_VERSIONS },
    config: { t: "any" },
  };
}

/** The problems of a workspace name: Kong's name rule, and not one of its reserved names. */
function workspaceIssues(workspace: unknown): ValidationIssue[] {
  if (workspace === undefined || isUnresolved(workspace)) return [];
  const result = workspaceSchema().safeParse(workspace);
  return result.success ? [] : [{ code: "invalid_value", kongPath: ["workspace"], propPath: "workspace", value: workspace, message: result.error.issues[0]!.message }];
}

/**
 * The secrets of a body: string values (literal or reference) of fields Kong marks encrypted or
 * referenceable, wherever they stand (in records, lists and maps), in Kong's order.
 */
export function secretsOf(facts: PluginFacts, body: Record<string, unknown>, index: number): Array<{ kongPath: Array<string | number>; propPath: string }> {
  const found: Array<{ kongPath: Array<string | number>; propPath: string }> = [];
  // the strings of a secret list or map are secrets, whether or not its items say so themselves
  const visit = (field: FieldFacts, value: unknown, path: Array<string | number>, inherited: boolean) => {
    if (value === undefined || value === null) return;
    const attributes = attributesAt(field, index);
    const secret = inherited || attributes.enc === true || attributes.ref === true;
    if (typeof value === "string") {
      if (secret) found.push({ kongPath: path, propPath: kongPathToProps(facts, path) });
      return;
    }
    if (isUnresolved(value) || typeof value !== "object") return;
    if (field.t === "record" && !Array.isArray(value)) {
      // the fields given, in Kong's order: a record of 250 fields with three given is three visits
      const record = value as Record<string, unknown>;
      for (const [name, child] of Object.entries(field.f ?? {})) if (record[name] !== undefined && record[name] !== null) visit(child, record[name], [...path, name], false);
    } else if (field.t === "array" && Array.isArray(value) && field.i) {
      value.forEach((item, i) => visit(field.i!, item, [...path, i], secret));
    } else if (field.t === "map" && !Array.isArray(value) && field.m) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(field.m, item, [...path, key], secret);
    } else if (field.t === "any") {
      // a custom plugin's config: a field whose name says secret is one (`client_secret`, `password`, …)
      const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value as Record<string, unknown>);
      for (const [key, item] of entries) visit(field, item, [...path, key], secret || (typeof key === "string" && isSecretName(key)));
    }
  };
  visit(facts.config, body.config, ["config"], false);
  return found;
}


/**
 * A scope named by an entity the app does not declare is looked up at apply by the sync; the
 * per-resource layout's programs store the body as written, which Kong would read back with an id.
 */
function namesNeedSync(body: Record<string, unknown>, provider: KongGatewayProvider): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [scope, kind] of Object.entries(SCOPE_KINDS)) {
    const byName = nameReference(body[scope], ENTITY_KIND_BY_NAME.get(kind)?.endpointKey);
    if (byName === undefined) continue;
    issues.push({
      code: "invalid_value",
      kongPath: [scope, byName.key],
      propPath: `${propName(scope)}.${byName.key}`,
      value: byName.value,
      message: `a reference by name to an entity the app does not declare needs the sync layout, and KongGatewayProvider "${provider.node.path}" uses "${provider.layout}": give the ${scope.replace("_", " ")}'s construct or { id }, or use the sync layout`,
    });
  }
  return issues;
}
