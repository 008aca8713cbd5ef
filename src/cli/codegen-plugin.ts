/**
 * A live plugin of any name as TypeScript. The session plugin keeps its own code (`codegen.ts`,
 * `PluginSession`); a plugin of known facts becomes its typed construct (`new PluginRateLimiting(this,
 * "<id>", { … })`, the class named by `constructName`), with its props camelCased by the facts and
 * every attribute that differs from Kong's default at the live Kong's version; a plugin without facts
 * (a custom plugin) becomes `new KongPlugin(this, "<id>", { name, config })`, its config as Kong
 * stores it (snake_case keys, unset fields left out).
 *
 * Map keys are printed as Kong holds them. A secret (every string of a field the facts mark encrypted
 * or referenceable; a custom plugin's `config.secret`) is never printed: a vault reference is, as Kong
 * stores it; a field Kong generates and every apply carries over is a comment line, as the session
 * secret; any other is read from a sensitive `TerraformVariable` declared before the construct, so
 * that the first apply neither prints nor drops it.
 */
import type { KongPlugin } from "../runtime/client.js";
import { attributesAt } from "../schema/engine/facts-schema.js";
import type { ResolvedTarget } from "../schema/engine/target.js";
import { convertPluginProps, kongPathToProps, validatePluginBody } from "../schema/engine/validate-plugin.js";
import type { FieldFacts, PluginFacts } from "../schema/facts.js";
import { formatPath } from "../schema/fields.js";
import { loadPluginFacts } from "../schema/generated/catalog.js";
import { generatedFieldsOf } from "../schema/kong-generated.js";
import { isSecretField, isSecretName } from "../schema/plugin-secrets.js";
import { camelCase, constructName, propName } from "../schema/naming.js";
import { sameJson } from "../schema/stored.js";
import { formatIssue } from "../schema/validate.js";
import { generateSession, tagsOrderingPartials } from "./codegen.js";
import { isRecord, isUnset, isVaultReference } from "./plugin-values.js";
import { Code, CommentedOut, isIdentifier, referenceProp, renderObject } from "./render.js";

/** The code of one plugin and what a person should know about it. */
export interface GeneratedPlugin {
  readonly constructId: string;
  /** the statements (variables, then the construct), with their comments, ending in a newline */
  readonly code: string;
  /** what a person should know: also in the code, as comments */
  readonly warnings: readonly string[];
  /** what a person should know that the code says by itself (the secrets read from variables) */
  readonly notes: readonly string[];
  /** the classes of cdktf-kong-gateway the code uses */
  readonly constructs: readonly string[];
  /** the classes of cdktf the code uses (`TerraformVariable`) */
  readonly cdktf: readonly string[];
}

/** What generating one plugin needs. */
export interface GenerateOptions {
  readonly workspace?: string;
  readonly constructId?: string;
  /** where the plugin was read, for the comment above it */
  readonly source?: string;
  /** the Kong the plugin was read from: whose defaults are left out */
  readonly target: ResolvedTarget;
  /** names of variables already declared in the same output (filled in) */
  readonly names?: Set<string>;
  /**
   * The entities printed in the same output, by id in lower case: the variable of each construct, so
   * that a plugin's route, service, consumer or consumer group is the construct, not its id
   */
  readonly references?: ReadonlyMap<string, string>;
}


/** The default protocols of a plugin without facts: the plugin entity's. */
const ENTITY_PROTOCOLS = ["grpc", "grpcs", "http", "https"];

const SESSION_LIKE_COMMENT =
  "was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference";

/** The construct id of a plugin: its instance name, else `<name, _ for ->_<first 8 characters of the id>`. */
export function pluginConstructId(plugin: KongPlugin): string {
  const name = plugin.instance_name;
  if (typeof name === "string" && name !== "") return name;
  return `${String(plugin.name).replace(/-/g, "_")}_${plugin.id.slice(0, 8)}`;
}

/** The statement(s) that declare the plugin, ready to paste into a stack's constructor. */
export function generatePlugin(plugin: KongPlugin, options: GenerateOptions): GeneratedPlugin {
  if (plugin.name === "session") {
    const session = generateSession(plugin, options);
    return { ...session, notes: [], constructs: ["PluginSession"], cdktf: [] };
  }
  const facts = loadPluginFacts(plugin.name);
  return facts ? generateTyped(plugin, facts, options) : generateCustom(plugin, options);
}

/** Collects what the code needs besides the construct: variables, warnings, fields left out. */
class Context {
  readonly variables: string[] = [];
  readonly warnings: string[] = [];
  /** for stderr only: the code says it already (the variables' descriptions) */
  readonly notes: string[] = [];
  readonly leftOut: string[] = [];
  readonly names: Set<string>;

  constructor(
    readonly plugin: KongPlugin,
    readonly constructId: string,
    readonly where: string,
    names: Set<string> | undefined,
  ) {
    this.names = names ?? new Set();
  }

  /** A sensitive variable for the secret at a Kong path: its `.stringValue`. */
  variable(kongPath: ReadonlyArray<string | number>, shownPath: string): Code {
    const variable = sensitiveVariable(this.names, `${this.constructId}_${kongPath.filter((p) => p !== "config").join("_")}`, `${shownPath} of the ${this.plugin.name} plugin ${this.plugin.id}`);
    this.variables.push(variable.statement);
    this.notes.push(`plugin ${this.plugin.id} ${this.where}: ${shownPath} ${variable.note}`);
    return variable.code;
  }
}

/**
 * A sensitive `TerraformVariable` that a secret read from Kong comes from: its name (unique among
 * `names`, which it joins), its declaration, `<identifier>.stringValue`, and the end of the note that
 * tells how to set it.
 *
 * @param what the secret in a sentence (`config.secret of the session plugin <id>`)
 */
export function sensitiveVariable(names: Set<string>, base: string, what: string): { readonly statement: string; readonly code: Code; readonly note: string } {
  const safe = safeName(base);
  let id = safe;
  for (let n = 2; names.has(id) || names.has(camelCase(id)); n++) id = `${safe}_${n}`;
  const identifier = identifierOf(id);
  names.add(id);
  names.add(identifier);
  return {
    statement: `const ${identifier} = new TerraformVariable(this, ${JSON.stringify(id)}, {\n  type: "string",\n  sensitive: true,\n  description: ${JSON.stringify(`${what}: was set in Kong (not printed)`)},\n});`,
    code: new Code(`${identifier}.stringValue`),
    note: `was set in Kong and is not printed: the code reads it from the sensitive variable ${id} (set TF_VAR_${id}, or give a vault reference)`,
  };
}

function generateTyped(plugin: KongPlugin, facts: PluginFacts, options: GenerateOptions): GeneratedPlugin {
  const constructId = options.constructId ?? pluginConstructId(plugin);
  const where = options.workspace ? `in workspace ${options.workspace}` : "(default workspace)";
  const context = new Context(plugin, constructId, where, options.names);
  const index = options.target.dataIndex;
  const generated = new Set(generatedFieldsOf(plugin.name).map((path) => path.join(".")));

  const props: Record<string, unknown> = { ...identityProps(plugin, options.workspace, options.references) };
  for (const scope of ["consumer", "consumer_group"] as const) {
    const value = plugin[scope];
    if (!isRecord(value) || typeof value.id !== "string") continue;
    if (facts.scopes[scope] !== undefined) props[propName(scope)] = referenceProp(value.id, options.references);
    else context.leftOut.push(scope);
  }

  const liveConfig = isRecord(plugin.config) ? plugin.config : {};
  const config = recordProps(facts, facts.config, liveConfig, ["config"], index, false, generated, context);
  const configRequired = attributesAt(facts.config, index).req === true && Object.values(facts.config.f ?? {}).some((f) => f.req && f.d === undefined);
  if (Object.keys(config).length > 0 || configRequired) props.config = config;
  Object.assign(props, entityProps(plugin, facts.protocols.d ?? ENTITY_PROTOCOLS));
  context.leftOut.push(...unknownTopLevel(plugin));

  const className = constructName(plugin.name);
  if (context.leftOut.length > 0) {
    context.warnings.push(`plugin ${plugin.id} ${where}: left out ${context.leftOut.join(", ")}: not attributes of ${className}`);
  }
  const isCode = (value: unknown): boolean => value instanceof Code || value instanceof CommentedOut;
  const { body, issues } = convertPluginProps(facts, withoutCommented(props) as object, isCode);
  for (const issue of [...issues, ...validatePluginBody(facts, body, options.target, isCode)]) {
    context.warnings.push(`plugin ${plugin.id} ${where}: the live value breaks a rule of this library: ${formatIssue(issue)}`);
  }
  return finish(plugin, className, constructId, props, context, options);
}

function generateCustom(plugin: KongPlugin, options: GenerateOptions): GeneratedPlugin {
  const constructId = options.constructId ?? pluginConstructId(plugin);
  const where = options.workspace ? `in workspace ${options.workspace}` : "(default workspace)";
  const context = new Context(plugin, constructId, where, options.names);
  const props: Record<string, unknown> = { name: plugin.name, ...identityProps(plugin, options.workspace, options.references) };
  for (const scope of ["consumer", "consumer_group"] as const) {
    const value = plugin[scope];
    if (isRecord(value) && typeof value.id === "string") props[propName(scope)] = referenceProp(value.id, options.references);
  }
  if (isRecord(plugin.config)) {
    const config = withoutNulls(plugin.config) as Record<string, unknown>;
    // without facts, a field whose name says secret is one (`secret`, `client_secret`, `password`, …)
    const hide = (value: unknown, kongPath: Array<string | number>, secret: boolean): unknown => {
      if (typeof value === "string") return secret && !isVaultReference(value) ? context.variable(kongPath, formatPath(kongPath)) : value;
      if (Array.isArray(value)) return value.map((item, i) => hide(item, [...kongPath, i], secret));
      if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hide(item, [...kongPath, key], secret || isSecretName(key))]));
      return value;
    };
    Object.assign(config, hide(config, ["config"], false));
    if (Object.keys(config).length > 0) props.config = config;
  }
  Object.assign(props, entityProps(plugin, ENTITY_PROTOCOLS));
  context.leftOut.push(...unknownTopLevel(plugin));
  if (context.leftOut.length > 0) {
    context.warnings.push(`plugin ${plugin.id} ${where}: left out ${context.leftOut.join(", ")}: not attributes of KongPlugin`);
  }
  return finish(plugin, "KongPlugin", constructId, props, context, options, " (no facts: a custom plugin, its config as Kong stores it)");
}

function finish(
  plugin: KongPlugin,
  className: string,
  constructId: string,
  props: Record<string, unknown>,
  context: Context,
  options: GenerateOptions,
  note = "",
): GeneratedPlugin {
  const lines: string[] = [];
  lines.push(`// ${plugin.name} plugin ${plugin.id} ${context.where}${options.source ? `, read from ${options.source}` : ""}${note}`);
  for (const warning of context.warnings) lines.push(`// warning: ${warning}`);
  lines.push(...context.variables);
  lines.push(`new ${className}(this, ${JSON.stringify(constructId)}, ${renderObject(props, "")});`);
  return {
    constructId,
    code: `${lines.join("\n")}\n`,
    warnings: context.warnings,
    notes: context.notes,
    constructs: [className],
    cdktf: context.variables.length > 0 ? ["TerraformVariable"] : [],
  };
}

/** `id`, `workspace`, `instanceName`, `route`, `service`: what every plugin's code starts with. */
function identityProps(plugin: KongPlugin, workspace: string | undefined, references: ReadonlyMap<string, string> | undefined): Record<string, unknown> {
  const props: Record<string, unknown> = { id: plugin.id };
  if (workspace) props.workspace = workspace;
  if (typeof plugin.instance_name === "string" && plugin.instance_name !== "") props.instanceName = plugin.instance_name;
  for (const record of ["route", "service"] as const) {
    const value = plugin[record];
    if (isRecord(value) && typeof value.id === "string") props[record] = referenceProp(value.id, references);
  }
  return props;
}

/** `enabled`, `protocols`, `tags` (the user's), `ordering`, `partials`, `condition`, when not Kong's defaults. */
function entityProps(plugin: KongPlugin, defaultProtocols: unknown): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  if (plugin.enabled === false) props.enabled = false;
  if (Array.isArray(plugin.protocols) && !sameJson(plugin.protocols, defaultProtocols)) props.protocols = plugin.protocols;
  Object.assign(props, tagsOrderingPartials(plugin));
  if (typeof plugin.condition === "string" && plugin.condition !== "") props.condition = plugin.condition;
  return props;
}

/** Top-level fields of the live plugin that no prop carries. */
const KNOWN_TOP = new Set([
  "id", "name", "instance_name", "created_at", "updated_at", "route", "service", "consumer", "consumer_group",
  "config", "enabled", "protocols", "tags", "ordering", "partials", "condition",
]);

function unknownTopLevel(plugin: KongPlugin): string[] {
  return Object.entries(plugin)
    .filter(([name, value]) => !KNOWN_TOP.has(name) && !isUnset(value))
    .map(([name]) => name);
}

/** The props of a live record (the config, or a record in it): its fields that are not Kong's defaults. */
function recordProps(
  facts: PluginFacts,
  field: FieldFacts,
  live: Record<string, unknown>,
  kongPath: Array<string | number>,
  index: number,
  secret: boolean,
  generated: ReadonlySet<string>,
  context: Context,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = field.f ?? {};
  for (const [name, child] of Object.entries(children)) {
    const value = fieldProps(facts, child, live[name], [...kongPath, name], index, secret || isSecretField(child), generated, context);
    if (value !== undefined) out[propName(name)] = value;
  }
  for (const [name, value] of Object.entries(live)) {
    if (!(name in children) && !isUnset(value)) context.leftOut.push([...kongPath, name].join("."));
  }
  return out;
}

/** The prop of one live value, or undefined to leave it out (unset, or Kong's default). */
function fieldProps(
  facts: PluginFacts,
  field: FieldFacts,
  value: unknown,
  kongPath: Array<string | number>,
  index: number,
  secret: boolean,
  generated: ReadonlySet<string>,
  context: Context,
): unknown {
  if (value === undefined || value === null) return undefined;
  const attributes = attributesAt(field, index);
  if (attributes.d !== undefined && sameJson(value, attributes.d)) return undefined;
  if (field.t === "record" && isRecord(value)) {
    if (isUnset(value)) return undefined;
    const record = recordProps(facts, field, value, kongPath, index, secret, generated, context);
    return Object.keys(record).length > 0 ? record : undefined;
  }
  return itemProps(facts, field, value, kongPath, index, secret, generated, context);
}

/** A value (a list's item, a map's value) as a prop: records converted, secret strings replaced. */
function itemProps(
  facts: PluginFacts,
  field: FieldFacts | undefined,
  value: unknown,
  kongPath: Array<string | number>,
  index: number,
  secret: boolean,
  generated: ReadonlySet<string>,
  context: Context,
): unknown {
  if (typeof value === "string") {
    if (!secret || isVaultReference(value)) return value;
    const shown = kongPathToProps(facts, kongPath);
    if (generated.has(kongPath.join("."))) return new CommentedOut(`${identifierOf(safeName(kongPath.slice(1).join("_")))}.stringValue, // ${SESSION_LIKE_COMMENT}`);
    return context.variable(kongPath, shown);
  }
  if (field === undefined || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const item = field.t === "array" ? field.i : undefined;
    return value.map((v, i) => itemProps(facts, item, v, [...kongPath, i], index, secret || isSecretField(item), generated, context));
  }
  if (field.t === "record") return recordProps(facts, field, value as Record<string, unknown>, kongPath, index, secret, generated, context);
  if (field.t === "map") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        key,
        itemProps(facts, field.m, v, [...kongPath, key], index, secret || isSecretField(field.m), generated, context),
      ]),
    );
  }
  return value;
}

/** Props without their commented-out entries (they are not part of the body). */
function withoutCommented(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCommented);
  if (value instanceof Code || !isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(v instanceof CommentedOut)).map(([k, v]) => [k, withoutCommented(v)]));
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** A Terraform variable name that is also a shell variable's (`TF_VAR_<name>`): letters, digits and `_`, not starting with a digit. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** A TypeScript identifier for a variable name. */
export function identifierOf(name: string): string {
  const camel = camelCase(name);
  return isIdentifier(camel) ? camel : `_${camel.replace(/[^A-Za-z0-9_$]/g, "_")}`;
}
