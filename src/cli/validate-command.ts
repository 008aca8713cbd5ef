/**
 * `kong-gateway-cdktf validate`: checks a plugin configuration with the schema and messages of synth,
 * in Kong's names (a Kong body, or just its `config`) or in the props of its construct. The session
 * plugin by its hand-verified rules (and, in Kong's names, Kong's deprecated config names
 * `cookie_lifetime`, … read as Kong does, with a warning each); any other plugin by its facts, for
 * the Kong version and edition given (`--kong-version`, `--edition`; default the newest Kong
 * Enterprise with published schemas), as a stack whose provider targets them.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_FIELDS, TOP_LEVEL_NAMES, formatPath } from "../schema/fields.js";
import { validateAttributes, validateKongPayload, workspaceSchema, type ValidationIssue } from "../schema/index.js";
import { SESSION_SHORTHANDS, expandShorthands, shorthandNamed, type ShorthandUse } from "../schema/shorthands.js";
import { formatValidationIssues } from "../schema/validate.js";
import { CliUsageError, EXIT, Output, describeJsonError, readProcessStdin, type CliEnv, type CliIo } from "./io.js";
import { parseFlags } from "./parse.js";
import { isRecord } from "./plugin-values.js";
import { moreConfigThanTop, readTarget, pluginNameOf, sessionUnavailable, validateByFacts } from "./validate-facts.js";
import { validateStacks } from "./validate-stacks.js";
import { DEFAULT_TARGET } from "../schema/engine/target.js";

export const VALIDATE_HELP = `usage: kong-gateway-cdktf validate [FILE | -] [--plugin NAME] [--names kong|props]
                                   [--kong-version V] [--edition E]
       kong-gateway-cdktf validate --out DIR [--stack NAME]... [--kong-version V] [--edition E]

Validates a plugin configuration (JSON) with the same rules and messages as synth, without Kong.
Reads FILE, or standard input when FILE is - or missing. Accepted shapes:
  - a Kong body in Kong's names:      {"name": "session", "config": {"cookie_name": "sid"}, ...}
  - just the config in Kong's names:  {"cookie_name": "sid", "cookie_same_site": "Lax"}
  - the construct's props (camelCase): {"config": {"cookieName": "sid"}, "route": {"id": "..."}}
  - just the config as props:         {"cookieName": "sid"}
The plugin is the body's "name", else --plugin, else session. The naming and the shape are
detected; --names forces the naming. Every plugin but session is checked by its facts for the Kong
a stack's provider targets: --kong-version and --edition (default: Kong Enterprise ${DEFAULT_TARGET.version}).
In Kong's names, Kong's deprecated session config names (cookie_lifetime, cookie_idletime,
cookie_renew, cookie_discard, cookie_samesite, cookie_httponly, cookie_persistent) are read as Kong
reads them, with a warning.

With --out, validates every plugin of a synthesized cdktf app (run cdktf synth first) as the
apply-time program will, for the Kong version and edition its stack's provider targets (or those
given: would the app work on that Kong?); values known only at apply are not checked, and a custom
plugin is Kong's to validate.

options:
  --plugin NAME           Kong's name of the plugin (rate-limiting, ...) when the input has no "name"
  --names kong|props      Kong's snake_case names, or the camelCase props of the plugin's construct
  --kong-version V        the Kong version to validate for, e.g. 3.9 (as the provider's kongVersion)
  --edition E             oss or enterprise (as the provider's edition; default enterprise)
  --out DIR               the synth output directory to validate (a stack directory too)
  --stack NAME            with --out: only this stack (repeatable; default: every stack)
  -h, --help              this help

exit codes: 0 valid (one line on stdout), 1 invalid (the problems on stdout) or unreadable input;
warnings go to stderr`;

const OPTIONS = {
  names: { type: "string" },
  out: { type: "string" },
  stack: { type: "string", multiple: true },
  plugin: { type: "string" },
  "kong-version": { type: "string" },
  edition: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export type Naming = "kong" | "props";

/** Kong's config names, the deprecated ones included: they tell a bare config too. */
const CONFIG_KONG = new Set([...CONFIG_FIELDS.map((f) => f.kong), ...SESSION_SHORTHANDS.map((s) => s.alias)]);
const PROP_OF_KONG = new Map(CONFIG_FIELDS.map((f) => [f.kong, f.prop] as const));
const CONFIG_PROPS = new Set(CONFIG_FIELDS.map((f) => f.prop));
const TOP_KONG = new Set([...TOP_LEVEL_NAMES.map(([kong]) => kong), "name", "workspace"]);
const TOP_PROPS = new Set([...TOP_LEVEL_NAMES.map(([, prop]) => prop), "workspace"]);

/** The validate command. */
export async function validateCommand(argv: readonly string[], _env: CliEnv, io: CliIo): Promise<number> {
  const out = new Output(io);
  try {
    const { values, positionals } = parseFlags("validate", argv, OPTIONS, true);
    if (values.help) {
      out.result(`${VALIDATE_HELP}\n`);
      return EXIT.ok;
    }
    if (values.names !== undefined && values.names !== "kong" && values.names !== "props") {
      throw new CliUsageError(`invalid --names ${JSON.stringify(values.names)}: expected kong or props`);
    }
    if (values.out !== undefined) {
      if (positionals.length > 0 || values.plugin !== undefined || values.names !== undefined) {
        throw new CliUsageError("--out validates a synthesized app: give it without a file, --plugin or --names");
      }
      const override = readTarget(values["kong-version"], values.edition);
      return validateStacks(path.resolve(io.cwd ?? process.cwd(), values.out), values.stack ?? [], override, out);
    }
    if (values.stack !== undefined) throw new CliUsageError("--stack goes with --out");
    if (positionals.length > 1) throw new CliUsageError(`expected one file, got ${positionals.length}`);
    const file = positionals[0] ?? "-";
    const source = file === "-" ? "standard input" : file;
    if (file === "-" && !io.readStdin && process.stdin.isTTY) out.progress("reading the configuration from standard input (end it with Ctrl-D)");
    const text = file === "-" ? await (io.readStdin ?? readProcessStdin)() : readInput(path.resolve(io.cwd ?? process.cwd(), file), file);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliUsageError(`${source} is not valid JSON (${describeJsonError(error, text)})`);
    }
    if (!isRecord(value)) throw new CliUsageError(`${source} must hold a JSON object (a plugin or its config)`);

    const target = readTarget(values["kong-version"], values.edition);
    const name = pluginNameOf(value, values.plugin);
    const naming = (values.names as Naming | undefined) ?? detectNaming(value);
    if (name !== "session") return validateByFacts(value, name, naming, target, source, out);

    const configOnly = isConfigOnly(value, naming);
    const shape = `${configOnly ? "session plugin config" : "session plugin"} in ${naming === "kong" ? "Kong's names" : "PluginSession props"}${target ? ` for ${target.label}` : ""}`;
    redactSecrets(out, value);
    const { issues, uses } = naming === "kong" ? validateKong(value, configOnly) : { issues: validateProps(value, configOnly), uses: [] };
    if (target) issues.push(...sessionUnavailable(value, naming, configOnly, target));
    for (const use of uses) out.warn(shorthandWarning(use, configOnly));
    if (issues.length === 0) {
      out.result(`ok: ${source} is a valid ${shape}\n`);
      return EXIT.ok;
    }
    out.result(`${formatValidationIssues(`${shape} (${source})`, issues)}\n`);
    return EXIT.error;
  } catch (error) {
    out.error(error);
    return EXIT.error;
  }
}

function readInput(file: string, shown: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliUsageError(`cannot read ${shown} (${(error as { code?: string }).code ?? String(error)})`);
  }
}

/** Kong's names when a key has an underscore or the body has `name`; props when a key has a capital. */
export function detectNaming(value: Record<string, unknown>): Naming {
  const keys = [...Object.keys(value), ...(isRecord(value.config) ? Object.keys(value.config) : [])];
  let kong = "name" in value ? 1 : 0;
  let props = 0;
  for (const key of keys) {
    if (/[A-Z]/.test(key)) props++;
    else if (key.includes("_")) kong++;
  }
  return props > kong ? "props" : "kong";
}

/** True when the object is the config itself: more of its keys are config fields than plugin fields. */
function isConfigOnly(value: Record<string, unknown>, naming: Naming): boolean {
  return naming === "kong" ? moreConfigThanTop(value, CONFIG_KONG, TOP_KONG) : moreConfigThanTop(value, CONFIG_PROPS, TOP_PROPS);
}

function validateKong(value: Record<string, unknown>, configOnly: boolean): { issues: ValidationIssue[]; uses: readonly ShorthandUse[] } {
  // Kong's deprecated names first, as Kong translates them before it validates (a null among them counts)
  const config = configOnly ? value : value.config;
  const expansion = isRecord(config) ? expandShorthands(config, ["config"]) : undefined;
  const input = !expansion ? value : configOnly ? expansion.config : { ...value, config: expansion.config };
  // Kong answers with every unset field as null: a body read from the Admin API validates as it is
  const { workspace, ...rest } = withoutNulls(input) as Record<string, unknown>;
  const body = configOnly ? { name: "session", config: withoutNulls(input) } : { name: "session", ...rest };
  // the input is in Kong's names: so are the messages; a value given under a deprecated name is
  // reported where it was given, with the field Kong read it as (`config.cookie_samesite (Kong: config.cookie_same_site)`)
  const uses = expansion?.uses ?? [];
  const issues = validateKongPayload(body).map((issue) => {
    const use = uses.find((u) => u.fieldPath !== undefined && formatPath(u.fieldPath) === formatPath(issue.kongPath));
    return { ...issue, propPath: formatPath(use ? use.kongPath : issue.kongPath) };
  });
  issues.push(...(expansion?.issues ?? []));
  if (!configOnly && workspace !== undefined) issues.push(...workspaceIssues(workspace));
  return { issues: configOnly ? issues.map(inConfig) : issues, uses };
}

function validateProps(value: Record<string, unknown>, configOnly: boolean): ValidationIssue[] {
  const result = validateAttributes((configOnly ? { config: value } : value) as never);
  const issues = result.issues.map(shorthandHint);
  return configOnly ? issues.map(inConfig) : issues;
}

/** An unknown `config.cookieLifetime`: Kong's deprecated name, so the hint names the current prop. */
function shorthandHint(issue: ValidationIssue): ValidationIssue {
  const [parent, name, ...more] = issue.propPath.split(".");
  if (issue.code !== "unknown_field" || parent !== "config" || name === undefined || more.length > 0) return issue;
  const shorthand = shorthandNamed(name);
  if (!shorthand) return issue;
  const hint = shorthand.field
    ? `did you mean config.${PROP_OF_KONG.get(shorthand.field)}?`
    : `Kong ignores its deprecated ${shorthand.alias}: leave it out`;
  return { ...issue, hint };
}

/**
 * The warning for one deprecated name: `config.cookie_lifetime is deprecated in Kong (removed in
 * 4.0): Kong reads it as config.rolling_timeout; write rolling_timeout instead`.
 */
function shorthandWarning(use: ShorthandUse, configOnly: boolean): string {
  const { field, replaces } = use.shorthand;
  // for a bare config, paths read from the config, as in its issues
  const at = configOnly ? use.kongPath.slice(1) : use.kongPath;
  const head = `${formatPath(at)} is deprecated in Kong (removed in 4.0)`;
  if (!field) return `${head}: Kong ignores it; leave it out`;
  const target = formatPath([...at.slice(0, -1), field]);
  const reads = use.replaced ? `Kong reads it as ${target}, and ${JSON.stringify(replaces!.from)} as ${JSON.stringify(replaces!.to)}` : `Kong reads it as ${target}`;
  const overrides = use.overrides ? `, over the ${target} also given` : "";
  const instead = use.replaced ? `write ${field}: ${JSON.stringify(replaces!.to)} instead` : `write ${field} instead`;
  return `${head}: ${reads}${overrides}; ${instead}`;
}

/** For a bare config, paths read from the config (`cookieName`, not `config.cookieName`). */
function inConfig(issue: ValidationIssue): ValidationIssue {
  const kongPath = issue.kongPath[0] === "config" ? issue.kongPath.slice(1) : issue.kongPath;
  const propPath = issue.propPath.startsWith("config.") ? issue.propPath.slice("config.".length) : issue.propPath;
  const hint = issue.hint?.replace(/did you mean config\./, "did you mean ");
  const secret = issue.propPath === "config.secret";
  return { ...issue, kongPath, propPath, ...(secret ? { value: "<redacted>" } : {}), ...(hint ? { hint } : {}) };
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function workspaceIssues(workspace: unknown): ValidationIssue[] {
  const result = workspaceSchema().safeParse(workspace);
  if (result.success) return [];
  return [{ code: "invalid_value", kongPath: ["workspace"], propPath: "workspace", value: workspace, message: result.error.issues[0]!.message }];
}

/** The secret of the input never reaches the output, whatever the message quotes. */
function redactSecrets(out: Output, value: Record<string, unknown>): void {
  out.redactor.addPluginSecret(value);
  out.redactor.add(value.secret);
}
