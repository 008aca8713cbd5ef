/**
 * `validate` for every plugin but the session plugin: its facts, for the Kong version and edition
 * given (as a stack's provider targets them), in Kong's names or in the props of its construct
 * (`PluginRateLimiting`, …); and, for the session plugin, what the version and edition given lack.
 */
import { DEFAULT_TARGET, resolveTarget, targetProblem, type KongEdition, type ResolvedTarget } from "../schema/engine/target.js";
import { convertPluginProps, validatePluginBody } from "../schema/engine/validate-plugin.js";
import type { PluginFacts } from "../schema/facts.js";
import { formatPath } from "../schema/fields.js";
import { CATALOG, loadPluginFacts } from "../schema/generated/catalog.js";
import { OSS_VERSIONS } from "../schema/generated/versions.js";
import { constructName, propName } from "../schema/naming.js";
import { workspaceSchema } from "../schema/plugin-schema.js";
import { closest } from "../schema/suggest.js";
import { formatValidationIssues, type ValidationIssue } from "../schema/validate.js";
import { CliUsageError, EXIT, type Output } from "./io.js";
import { isRecord } from "./plugin-values.js";

type Naming = "kong" | "props";

/** The entity fields of every plugin, in Kong's names and as props (with `workspace`). */
const TOP_KONG = ["id", "name", "instance_name", "enabled", "tags", "protocols", "config", "route", "service", "consumer", "consumer_group", "ordering", "partials", "condition", "created_at", "updated_at", "workspace"];
const TOP_PROPS = new Set(TOP_KONG.filter((k) => k !== "name").map(propName));

/**
 * The target of `--kong-version` and `--edition`, or undefined when neither is given.
 *
 * @throws CliUsageError for an edition or version that is not one of the published data
 */
export function readTarget(version: string | undefined, edition: string | undefined): ResolvedTarget | undefined {
  if (version === undefined && edition === undefined) return undefined;
  if (edition !== undefined && edition !== "oss" && edition !== "enterprise") {
    throw new CliUsageError(`invalid --edition ${JSON.stringify(edition)}: expected oss or enterprise`);
  }
  const chosen: KongEdition = (edition as KongEdition | undefined) ?? DEFAULT_TARGET.edition;
  const problem = targetProblem({ edition: chosen, version });
  if (problem) throw new CliUsageError(`invalid --kong-version ${JSON.stringify(version)}: ${problem.message}`);
  return resolveTarget({ edition: chosen, version: version ?? (chosen === "oss" ? OSS_VERSIONS[OSS_VERSIONS.length - 1]! : DEFAULT_TARGET.version) });
}

/**
 * The plugin the input is: its `name`, else `--plugin`, else the session plugin.
 *
 * @throws CliUsageError when the input names another plugin than `--plugin`
 */
export function pluginNameOf(value: Record<string, unknown>, flag: string | undefined): string {
  const named = typeof value.name === "string" ? value.name : undefined;
  if (flag === undefined) return named ?? "session";
  // a config may have a field `name` of its own
  if (named !== undefined && named !== flag && !loadPluginFacts(flag)?.config.f?.name) {
    throw new CliUsageError(`the input names the ${JSON.stringify(named)} plugin, but --plugin says ${JSON.stringify(flag)}: leave one out`);
  }
  return flag;
}

/** Validates a plugin other than the session plugin by its facts; prints the outcome. */
export function validateByFacts(value: Record<string, unknown>, name: string, naming: Naming, target: ResolvedTarget | undefined, source: string, out: Output): number {
  const facts = loadPluginFacts(name);
  if (!facts) {
    const guess = closest(name, CATALOG.map((entry) => entry.name));
    throw new CliUsageError(
      `this library has no facts of a ${JSON.stringify(name)} plugin${guess ? ` (did you mean ${guess}?)` : ""}: a custom plugin is validated by Kong only`,
    );
  }
  const at = target ?? resolveTarget(DEFAULT_TARGET);
  const configOnly = isConfigOnly(facts, value, naming);
  const shape = `${name} plugin${configOnly ? " config" : ""} in ${naming === "kong" ? "Kong's names" : `${constructName(name)} props`}`;
  const { body, issues } = naming === "kong" ? validateKong(facts, value, configOnly, at) : validateProps(facts, value, configOnly, at);
  out.redactor.addPluginSecret(body);
  const shown = configOnly ? issues.map(inConfig) : issues;
  if (shown.length === 0) {
    out.result(`ok: ${source} is a valid ${shape} for ${at.label}\n`);
    return EXIT.ok;
  }
  out.result(`${formatValidationIssues(`${shape} for ${at.label} (${source})`, shown)}\n`);
  return EXIT.error;
}

/** What the target lacks of a session plugin's input (its own rules check the rest). */
export function sessionUnavailable(value: Record<string, unknown>, naming: Naming, configOnly: boolean, target: ResolvedTarget): ValidationIssue[] {
  const facts = loadPluginFacts("session")!;
  const { body, issues } = naming === "kong" ? validateKong(facts, value, configOnly, target) : validateProps(facts, value, configOnly, target);
  void body;
  return issues.filter((issue) => issue.code === "unavailable").map((issue) => (configOnly ? inConfig(issue) : issue));
}

function validateKong(facts: PluginFacts, value: Record<string, unknown>, configOnly: boolean, target: ResolvedTarget): { body: Record<string, unknown>; issues: ValidationIssue[] } {
  const input = withoutNulls(value) as Record<string, unknown>;
  const { workspace, ...rest } = input;
  const body = configOnly ? { name: facts.name, config: input } : { ...rest, name: facts.name };
  // the input is in Kong's names: so are the messages
  const issues = validatePluginBody(facts, body, target).map((issue) => ({ ...issue, propPath: formatPath(issue.kongPath) }));
  if (!configOnly) issues.push(...workspaceIssues(workspace));
  return { body, issues };
}

function validateProps(facts: PluginFacts, value: Record<string, unknown>, configOnly: boolean, target: ResolvedTarget): { body: Record<string, unknown>; issues: ValidationIssue[] } {
  const props = configOnly ? { config: value } : value;
  const converted = convertPluginProps(facts, props, () => false);
  const issues = [...converted.issues, ...validatePluginBody(facts, converted.body, target)];
  if (!configOnly) issues.push(...workspaceIssues(value.workspace));
  return { body: converted.body, issues };
}

/** True when the object is the config itself: more of its keys are config fields than plugin fields. */
function isConfigOnly(facts: PluginFacts, value: Record<string, unknown>, naming: Naming): boolean {
  const fields = Object.keys(facts.config.f ?? {});
  return moreConfigThanTop(value, new Set(naming === "kong" ? fields : fields.map(propName)), naming === "kong" ? new Set(TOP_KONG) : TOP_PROPS);
}

/** Whether more of an object's keys are config fields than plugin (top-level) fields. */
export function moreConfigThanTop(value: Record<string, unknown>, config: ReadonlySet<string>, top: ReadonlySet<string>): boolean {
  let configKeys = 0;
  let topKeys = 0;
  for (const key of Object.keys(value)) {
    if (top.has(key)) topKeys++;
    else if (config.has(key)) configKeys++;
  }
  return configKeys > topKeys;
}

/** For a bare config, paths read from the config (`minute`, not `config.minute`). */
function inConfig(issue: ValidationIssue): ValidationIssue {
  const kongPath = issue.kongPath[0] === "config" ? issue.kongPath.slice(1) : issue.kongPath;
  const propPath = issue.propPath.startsWith("config.") ? issue.propPath.slice("config.".length) : issue.propPath;
  const hint = issue.hint?.replace(/did you mean config\./, "did you mean ");
  return { ...issue, kongPath, propPath, ...(hint ? { hint } : {}) };
}

function workspaceIssues(workspace: unknown): ValidationIssue[] {
  if (workspace === undefined) return [];
  const result = workspaceSchema().safeParse(workspace);
  if (result.success) return [];
  return [{ code: "invalid_value", kongPath: ["workspace"], propPath: "workspace", value: workspace, message: result.error.issues[0]!.message }];
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
