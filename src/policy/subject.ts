/**
 * What a rule of the policy checks reads: a plugin, an entity or a provider as declared, with the
 * value of any Kong field as Kong would take it (the value given, or Kong's default for the targeted
 * version), and the field's name as the user wrote it (the prop path).
 */
import type { IConstruct } from "constructs";
import { isUnresolved } from "../internal/tokens.js";
import { KongEntityConstruct } from "../kong-entity.js";
import { KongGatewayProvider } from "../kong-gateway-provider.js";
import { KongPluginConstruct } from "../kong-plugin.js";
import { attributesAt } from "../schema/engine/facts-schema.js";
import { entityPathToProps, fieldAt as entityFieldAt } from "../schema/engine/validate-entity.js";
import { fieldAt as pluginFieldAt, kongPathToProps } from "../schema/engine/validate-plugin.js";
import type { FieldFacts, PluginFacts } from "../schema/facts.js";
import { kongBodyOf, type EntityBodyRecord, type PluginBodyRecord } from "../internal/kong-body.js";
import { formatPath } from "../schema/fields.js";
import { valueAt } from "../schema/validate.js";
import { isVaultReference } from "../schema/vault.js";

/** A value Terraform computes at apply (a reference): no rule can judge it at synth. */
export const UNKNOWN: unique symbol = Symbol("unknown");

type Path = ReadonlyArray<string | number>;

/** What the plugin and entity subjects share. */
interface DeclaredSubject {
  /** how messages name it: `session plugin at "gateway/session"` */
  readonly subject: string;
  readonly provider: KongGatewayProvider;
  readonly workspace: string | undefined;
  readonly body: Readonly<Record<string, unknown>>;
  /** the value at a Kong path (`"config.cookie_secure"` or a list of segments): as given, or Kong's default; {@link UNKNOWN} for a reference */
  value(path: string | Path): unknown;
  /** whether the body gives the value (not Kong's default) */
  given(path: string | Path): boolean;
  /** the path as the props name it (`config.cookieSecure`; `config.cookie_secure` for `KongPlugin`) */
  prop(path: string | Path): string;
  /** `config.cookieSecure is false (the default of Kong 3.9)` */
  describe(path: string | Path): string;
  /** the strings of secret fields given literally (not a reference, not a vault reference), by prop path */
  readonly secretFields: ReadonlyArray<{ readonly kongPath: Path; readonly propPath: string }>;
}

export interface PluginSubject extends DeclaredSubject {
  readonly type: "plugin";
  readonly construct: KongPluginConstruct;
  /** Kong's name of the plugin */
  readonly name: string;
  /** false only for `enabled: false` given literally */
  readonly enabled: boolean;
  /** the plugin's facts; none for a custom plugin */
  readonly facts?: PluginFacts;
}

export interface EntitySubject extends DeclaredSubject {
  readonly type: "entity";
  readonly construct: KongEntityConstruct;
  /** Kong's DAO name, e.g. `routes` */
  readonly kind: string;
}

export interface ProviderSubject {
  readonly type: "provider";
  readonly construct: KongGatewayProvider;
  readonly subject: string;
}

export type Subject = PluginSubject | EntitySubject | ProviderSubject;

/** The subject of a construct, or undefined for a construct no rule reads. */
export function subjectOf(node: IConstruct): Subject | undefined {
  // a construct whose constructor failed has no declared body
  const record = kongBodyOf(node);
  if (node instanceof KongPluginConstruct) return record?.type === "plugin" ? pluginSubject(node, record) : undefined;
  if (node instanceof KongEntityConstruct) return record?.type === "entity" ? entitySubject(node, record) : undefined;
  if (node instanceof KongGatewayProvider) return { type: "provider", construct: node, subject: `KongGatewayProvider at "${node.node.path}"` };
  return undefined;
}

const toPath = (path: string | Path): Path => (typeof path === "string" ? path.split(".") : path);

function declaredSubject(
  subject: string,
  provider: KongGatewayProvider,
  workspace: string | undefined,
  body: Readonly<Record<string, unknown>>,
  secretPaths: DeclaredSubject["secretFields"],
  fieldAt: (path: Path) => FieldFacts | undefined,
  prop: (path: Path) => string,
): DeclaredSubject {
  const index = provider.target.dataIndex;
  const given = (path: string | Path) => {
    const value = valueAt(body, toPath(path));
    return value !== undefined && value !== null;
  };
  const value = (path: string | Path) => {
    const at = toPath(path);
    // a reference on the way (the whole config, a record) hides the value too
    for (let i = 1; i <= at.length; i++) if (isUnresolved(valueAt(body, at.slice(0, i)))) return UNKNOWN;
    const given = valueAt(body, at);
    if (given !== undefined && given !== null) return given;
    const field = fieldAt(at);
    return field ? attributesAt(field, index).d : undefined;
  };
  const version = provider.target.version;
  return {
    subject,
    provider,
    workspace,
    body,
    value,
    given,
    prop: (path) => prop(toPath(path)),
    describe: (path) => `${prop(toPath(path))} is ${show(value(path))}${given(path) ? "" : ` (the default of Kong ${version})`}`,
    secretFields: secretPaths.filter(({ kongPath }) => {
      const secret = valueAt(body, kongPath);
      return typeof secret === "string" && !isUnresolved(secret) && !isVaultReference(secret);
    }),
  };
}

function pluginSubject(plugin: KongPluginConstruct, record: PluginBodyRecord): PluginSubject {
  const { body, facts, secretPaths, configInKongNames } = record;
  const prop = (path: Path) => (configInKongNames && path[0] === "config") || !facts ? formatPath(path) : kongPathToProps(facts, path);
  const base = declaredSubject(`${plugin.pluginName} plugin at "${plugin.node.path}"`, plugin.provider, plugin.workspace, body, secretPaths, (path) => (facts ? pluginFieldAt(facts, path) : undefined), prop);
  return { ...base, type: "plugin", construct: plugin, name: plugin.pluginName, enabled: body.enabled !== false, ...(facts ? { facts } : {}) };
}

function entitySubject(entity: KongEntityConstruct, record: EntityBodyRecord): EntitySubject {
  const { body, facts, secretPaths, what } = record;
  const base = declaredSubject(`${what} at "${entity.node.path}"`, entity.provider, entity.workspace, body, secretPaths, (path) => entityFieldAt(facts, path), (path) => entityPathToProps(facts, path));
  return { ...base, type: "entity", construct: entity, kind: entity.kind };
}

/** A value in a message: JSON for literals (never a secret: rules show no secret field's value). */
export function show(value: unknown): string {
  if (value === UNKNOWN) return "a reference";
  if (value === undefined) return "unset";
  return JSON.stringify(value);
}

/** The id of a reference `{ id }`: a string, {@link UNKNOWN} for a reference, undefined when unset. */
export function referencedId(reference: unknown): string | typeof UNKNOWN | undefined {
  if (reference === undefined || reference === null) return undefined;
  if (isUnresolved(reference)) return UNKNOWN;
  const id = (reference as { id?: unknown }).id;
  if (id === undefined || id === null) return undefined;
  return typeof id === "string" && !isUnresolved(id) ? id.toLowerCase() : UNKNOWN;
}
