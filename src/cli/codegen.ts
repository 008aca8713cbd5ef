/**
 * A live session plugin as TypeScript: `new PluginSession(this, "<id>", { … })` with the plugin's id and
 * every attribute that differs from Kong's default, in camelCase props, so that adopting the plugin
 * changes nothing in it. A live `[]` is printed as `[]` (the construct sends it, and Kong stores it, as
 * it is; left out, Kong would fill in the default); an unset (null) field is not printed. The owner
 * tag is the library's: only the user's tags are printed. The secret is never printed: only a vault
 * reference (`{vault://…}`), which Kong stores as it is, appears as a value.
 */
import type { KongPlugin } from "../runtime/client.js";
import { CONFIG_FIELDS, PLUGIN_FIELDS, RECORD_FIELDS } from "../schema/fields.js";
import { formatIssue, validateAttributes } from "../schema/index.js";
import { userTags } from "../runtime/ownership.js";
import { isKongDefault, isRecord, isUnset, isVaultReference } from "./plugin-values.js";
import { referenceProp, renderObject } from "./render.js";

/** The code of one plugin and what a person should know about it. */
export interface GeneratedSession {
  readonly constructId: string;
  /** the statement, with its comments, ending in a newline */
  readonly code: string;
  /** problems: fields left out, rules of this library the live plugin breaks */
  readonly warnings: readonly string[];
}

/** Top-level fields that are never emitted: set by Kong on every write. */
const TIMESTAMPS = new Set(["created_at", "updated_at"]);
/** Top-level fields handled one by one below. */
const HANDLED = new Set(["id", "name", "config", "route", "service", "ordering", "partials", "tags", "consumer", "consumer_group", ...TIMESTAMPS]);

const SECRET_COMMENT =
  "was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference";

/** The construct id for a plugin: its instance name, else `session_<first 8 characters of the id>`. */
export function constructIdFor(plugin: KongPlugin): string {
  const name = plugin.instance_name;
  if (typeof name === "string" && name !== "") return name;
  return `session_${plugin.id.slice(0, 8)}`;
}

/**
 * The props of a `PluginSession` that reproduce a live plugin (secret left out), and the notes about
 * fields that could not be carried.
 */
export function propsFromPlugin(
  plugin: KongPlugin,
  workspace: string | undefined,
): { props: Record<string, unknown>; secret: "none" | "vault" | "hidden"; leftOut: string[] } {
  const props: Record<string, unknown> = { id: plugin.id };
  const leftOut: string[] = [];
  if (workspace) props.workspace = workspace;
  if (typeof plugin.instance_name === "string" && plugin.instance_name !== "") props.instanceName = plugin.instance_name;
  for (const record of ["route", "service"] as const) {
    const value = plugin[record];
    if (isRecord(value) && typeof value.id === "string") props[record] = { id: value.id };
  }

  const config: Record<string, unknown> = {};
  const liveConfig = isRecord(plugin.config) ? plugin.config : {};
  let secret: "none" | "vault" | "hidden" = "none";
  for (const field of CONFIG_FIELDS) {
    const value = liveConfig[field.kong];
    if (field.secret) {
      if (isVaultReference(value)) {
        config[field.prop] = value;
        secret = "vault";
      } else if (typeof value === "string" && value !== "") {
        secret = "hidden";
      }
      continue;
    }
    if (isUnset(value) || isKongDefault(field, value)) continue;
    config[field.prop] = value;
  }
  const known = new Set(CONFIG_FIELDS.map((f) => f.kong));
  for (const [name, value] of Object.entries(liveConfig)) {
    if (!known.has(name) && !isUnset(value)) leftOut.push(`config.${name}`);
  }
  if (Object.keys(config).length > 0 || secret === "hidden") props.config = config;

  for (const field of PLUGIN_FIELDS) {
    if (HANDLED.has(field.kong) || field.kong === "instance_name") continue;
    const value = plugin[field.kong];
    if (isUnset(value) || isKongDefault(field, value)) continue;
    props[field.prop] = value;
  }
  Object.assign(props, tagsOrderingPartials(plugin));

  const knownTop = new Set([...HANDLED, ...PLUGIN_FIELDS.map((f) => f.kong)]);
  for (const [name, value] of Object.entries(plugin)) {
    if ((!knownTop.has(name) || name === "consumer" || name === "consumer_group") && !isUnset(value)) leftOut.push(name);
  }
  return { props, secret, leftOut };
}

/**
 * The user's tags, `ordering` and `partials` of a live plugin as props, for every plugin kind. Every
 * write sends the user's tags and the owner tag: no tags, `[]` and the owner tag alone all write the
 * same, so only the user's own tags are printed.
 */
export function tagsOrderingPartials(plugin: KongPlugin): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  const tags = userTags(plugin.tags);
  if (Array.isArray(tags) && tags.length > 0) props.tags = tags;
  const ordering = compactRecord(plugin.ordering, ["after", "before"], RECORD_FIELDS["ordering.after"]!.map((f) => f.kong));
  if (ordering) props.ordering = ordering;
  if (Array.isArray(plugin.partials)) {
    const keys = RECORD_FIELDS.partials!.map((f) => f.kong);
    props.partials = plugin.partials.map((item) =>
      Object.fromEntries(keys.filter((k) => isRecord(item) && !isUnset(item[k])).map((k) => [k, (item as Record<string, unknown>)[k]])),
    );
  }
  return props;
}

/** The statement that declares the plugin, ready to paste into a stack's constructor. */
export function generateSession(
  plugin: KongPlugin,
  options: { readonly workspace?: string; readonly constructId?: string; readonly source?: string; readonly references?: ReadonlyMap<string, string> },
): GeneratedSession {
  const constructId = options.constructId ?? constructIdFor(plugin);
  const { props: validated, secret, leftOut } = propsFromPlugin(plugin, options.workspace);
  const props = validated;
  const warnings: string[] = [];
  const where = options.workspace ? `in workspace ${options.workspace}` : "(default workspace)";
  if (leftOut.length > 0) {
    warnings.push(`plugin ${plugin.id} ${where}: left out ${leftOut.join(", ")}: not attributes of kong-gateway_plugin_session`);
  }
  const validation = validateAttributes(props as never);
  if (!validation.success) {
    for (const issue of validation.issues) {
      warnings.push(`plugin ${plugin.id} ${where}: the live value breaks a rule of this library: ${formatIssue(issue)}`);
    }
  }
  // a route or service printed in the same output: its construct
  for (const scope of ["route", "service"] as const) {
    const value = props[scope];
    if (isRecord(value) && typeof value.id === "string") props[scope] = referenceProp(value.id, options.references);
  }

  const lines: string[] = [];
  lines.push(`// session plugin ${plugin.id} ${where}${options.source ? `, read from ${options.source}` : ""}`);
  for (const warning of warnings) lines.push(`// warning: ${warning}`);
  const secretLine = secret === "hidden" ? `// secret: sessionSecret.stringValue, // ${SECRET_COMMENT}` : undefined;
  lines.push(`new PluginSession(this, ${JSON.stringify(constructId)}, ${renderObject(props, "", { config: secretLine })});`);
  return { constructId, code: lines.join("\n") + "\n", warnings };
}

/** A record of phases with lists (`ordering`), without its unset fields (`[]` kept); undefined when empty. */
export function compactRecord(value: unknown, phases: readonly string[], keys: readonly string[]): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const phase of phases) {
    const inner = value[phase];
    if (!isRecord(inner)) continue;
    const kept = Object.fromEntries(keys.filter((k) => !isUnset(inner[k])).map((k) => [k, inner[k]]));
    if (Object.keys(kept).length > 0) out[phase] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
