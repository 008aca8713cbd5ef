/**
 * Kong's entity checks and custom validators, which the tables of facts cannot express, written by
 * hand for the plugins that have them: each plugin's `entity_checks` and `custom_validator`s of
 * kong/plugins/<name>/schema.lua in Kong/kong (the same in 3.4 to 3.9 and on master unless said), and
 * for rate-limiting-advanced, whose schema is not public, only what Kong's published schema says.
 * A value not known at synth (a cdktf token) skips the checks that read it.
 */
import { isIP } from "node:net";
import type { PluginFacts } from "../facts.js";
import type { Path, UnresolvedPredicate, ValidationIssue } from "../validate.js";
import { attributesAt, existsAt } from "./facts-schema.js";
import type { ResolvedTarget } from "./target.js";

/** What a check reads and reports through. */
interface Context {
  /** whether a config field (Kong path below `config`) exists at the target */
  has(path: Path): boolean;
  /** the value given, or Kong's default at the target; {@link UNRESOLVED} when it is a token */
  get(path: Path): unknown;
  /** a config path as `config.headerName (Kong: config.header_name)` */
  named(path: Path): string;
  /** a problem at a config path: `conflict` (the default) for a check over several fields, else `invalid_value` */
  report(path: Path, value: unknown, message: string, code?: ValidationIssue["code"]): void;
}

const UNRESOLVED = Symbol("unresolved");

/** Kong's `is_nonempty`: not unset, not an empty list or record, not an empty string. */
const nonEmpty = (value: unknown) =>
  value !== undefined && value !== null && value !== "" && !(typeof value === "object" && Object.keys(value as object).length === 0);

function atLeastOneOf(ctx: Context, paths: Path[], exactlyOne = false): void {
  const values = paths.map((p) => ctx.get(p));
  if (values.includes(UNRESOLVED)) return;
  const given = values.filter(nonEmpty).length;
  const list = () => paths.map((p) => ctx.named(p)).join(", ");
  if (given === 0) ctx.report([], undefined, `at least one of these fields must be non-empty: ${list()}`);
  else if (exactlyOne && given > 1) ctx.report([], Object.fromEntries(paths.map((p, i) => [p.join("."), values[i]])), `exactly one of these fields must be non-empty: ${list()}`);
}

/** Kong's `conditional` with `then_match = { required = true }`. */
function requiredWhen(ctx: Context, ifPath: Path, equals: unknown, thenPath: Path): void {
  if (!ctx.has(thenPath) || ctx.get(ifPath) !== equals) return;
  const value = ctx.get(thenPath);
  if (value === undefined || value === null) ctx.report(thenPath, undefined, `required field missing when ${ctx.named(ifPath)} is ${JSON.stringify(equals)}`);
}

const HEADER_NAME = /^[a-zA-Z0-9_-]+$/;
const HEADER_MESSAGE = "bad header name: allowed characters are A-Z, a-z, 0-9, '_', and '-'";

/** Each string of a list, by index (a token list or item skipped). */
function eachString(ctx: Context, path: Path, check: (value: string, at: Path) => void): void {
  const list = ctx.get(path);
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (typeof item === "string" && ctx.get([...path, i]) !== UNRESOLVED) check(item, [...path, i]);
  });
}

function headerName(ctx: Context, path: Path): void {
  const value = ctx.get(path);
  if (typeof value === "string" && value !== "" && !HEADER_NAME.test(value)) ctx.report(path, value, HEADER_MESSAGE, "invalid_value");
}

const PERIODS = ["second", "minute", "hour", "day", "month", "year"] as const;

function rateLimiting(ctx: Context): void {
  atLeastOneOf(ctx, PERIODS.map((p) => [p]));
  // each limit of a longer period at least that of every shorter one (Kong stops at the first)
  for (let j = 1; j < PERIODS.length; j++) {
    const upper = ctx.get([PERIODS[j]!]);
    if (typeof upper !== "number") continue;
    const lower = PERIODS.slice(0, j).find((p) => typeof ctx.get([p]) === "number" && (ctx.get([p]) as number) > upper);
    if (lower) ctx.report([PERIODS[j]!], upper, `the limit for ${PERIODS[j]} cannot be lower than the limit for ${lower} (${String(ctx.get([lower]))})`);
  }
  const policy = ctx.get(["policy"]);
  const syncRate = ctx.get(["sync_rate"]);
  if (typeof policy === "string" && typeof syncRate === "number" && syncRate !== -1) {
    if (policy !== "redis") ctx.report(["sync_rate"], syncRate, `only -1 is allowed unless ${ctx.named(["policy"])} is "redis"`);
    else if (syncRate < 0.02) ctx.report(["sync_rate"], syncRate, "expected -1 (to disable) or at least 0.02");
  }
  // Kong 3.4 and 3.5 have flat redis_* fields; 3.6+ a redis record (the target's facts tell which)
  const redis = ctx.has(["redis"]) ? ["redis", "host"] : ["redis_host"];
  requiredWhen(ctx, ["policy"], "redis", redis);
  requiredWhen(ctx, ["limit_by"], "header", ["header_name"]);
  requiredWhen(ctx, ["limit_by"], "path", ["path"]);
  headerName(ctx, ["header_name"]);
  uriPath(ctx, ["path"]);
}

/** Kong's `typedefs.path`: an absolute path of RFC 3986 characters, no empty segment, valid %-escapes. */
function uriPath(ctx: Context, path: Path): void {
  const value = ctx.get(path);
  if (typeof value !== "string" || value === "") return;
  const problem = !value.startsWith("/")
    ? "expected a path that starts with /"
    : value.includes("//")
      ? "expected a path without empty segments (//)"
      : !/^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/.test(value)
        ? "expected a path of the characters RFC 3986 allows"
        : /%(?![0-9a-fA-F]{2})/.test(value)
          ? "expected %-escapes of two hexadecimal digits"
          : undefined;
  if (problem) ctx.report(path, value, problem, "invalid_value");
}

function rateLimitingAdvanced(ctx: Context): void {
  uriPath(ctx, ["path"]);
  const limits = ctx.get(["limit"]);
  const sizes = ctx.get(["window_size"]);
  if (Array.isArray(limits) && Array.isArray(sizes) && limits.length !== sizes.length) {
    ctx.report(["window_size"], sizes, `expected as many window sizes as ${ctx.named(["limit"])} has limits (${limits.length})`);
  }
  const syncRate = ctx.get(["sync_rate"]);
  if (typeof syncRate === "number" && syncRate > 0 && syncRate < 0.02) ctx.report(["sync_rate"], syncRate, "expected -1, 0 or at least 0.02 (seconds)");
  if (ctx.get(["enforce_consumer_groups"]) === true) {
    const groups = ctx.get(["consumer_groups"]);
    if (groups !== UNRESOLVED && !nonEmpty(groups)) ctx.report(["consumer_groups"], groups, `at least one consumer group is required when ${ctx.named(["enforce_consumer_groups"])} is true`);
  }
  headerName(ctx, ["header_name"]);
}

function ipOrCidr(value: string): boolean {
  const [ip, prefix, extra] = value.split("/");
  const version = isIP(ip ?? "");
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  // Kong's prefixes are 0 to 32 (IPv4) or 128 (IPv6), written without leading zeros
  return /^(?:0|[1-9]\d{0,2})$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Why a string is no PCRE pattern, for the mistakes JavaScript's and PCRE's syntax agree on: a
 * quantifier with nothing to repeat, an unclosed group or class, an unmatched `)`, a trailing `\`.
 */
export function regexProblem(pattern: string): string | undefined {
  let depth = 0;
  let start = true; // nothing yet that a quantifier could repeat
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (i === pattern.length - 1) return "a trailing \\ escapes nothing";
      i++;
      start = false;
    } else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      for (; j < pattern.length && pattern[j] !== "]"; j++) if (pattern[j] === "\\") j++;
      if (j >= pattern.length) return `the class opened at ${i} is not closed`;
      i = j;
      start = false;
    } else if (c === "(") {
      depth++;
      if (pattern[i + 1] === "?") i++;
      start = true;
    } else if (c === ")") {
      if (--depth < 0) return `the ) at ${i} closes no group`;
      start = false;
    } else if (c === "|") {
      start = true;
    } else if (c === "*" || c === "+" || c === "?") {
      if (start) return `the ${c} at ${i} repeats nothing`;
    } else {
      start = false;
    }
  }
  return depth > 0 ? "a group is not closed" : undefined;
}

/** request-transformer: `name:value` entries, and header names on either side. */
function requestTransformer(ctx: Context): void {
  const split = (entry: string) => /^([^:]+):*(.*)$/s.exec(entry);
  for (const action of ["rename", "replace", "add", "append"]) {
    for (const part of ["body", "querystring"]) {
      eachString(ctx, [action, part], (entry, at) => {
        if (!split(entry)?.[2]) ctx.report(at, entry, 'expected "name:value" with a value', "invalid_value");
      });
    }
  }
  for (const action of ["remove", "rename", "replace", "add", "append"]) {
    eachString(ctx, [action, "headers"], (entry, at) => {
      const match = split(entry);
      if (action !== "remove" && !/^[^:]+:.*$/s.test(entry)) return ctx.report(at, entry, 'expected "header:value"', "invalid_value");
      const name = match?.[1] ?? "";
      if (!HEADER_NAME.test(name)) return ctx.report(at, entry, `${JSON.stringify(name)} is not a valid header name (allowed characters are A-Z, a-z, 0-9, '_', and '-')`, "invalid_value");
      const value = match?.[2] ?? "";
      if (action === "rename" && !HEADER_NAME.test(value)) ctx.report(at, entry, `${JSON.stringify(value)} is not a valid header name to rename to (allowed characters are A-Z, a-z, 0-9, '_', and '-')`, "invalid_value");
    });
  }
  const method = ctx.get(["http_method"]);
  if (typeof method === "string" && method !== "" && !/^[A-Z]+$/.test(method)) ctx.report(["http_method"], method, "invalid value: does not match ^[A-Z]+$", "invalid_value");
}

/** The checks of each plugin, by Kong's name. openid-connect has none beyond its facts (`issuer` required). */
const CHECKS: Readonly<Record<string, (ctx: Context) => void>> = {
  "rate-limiting": rateLimiting,
  "rate-limiting-advanced": rateLimitingAdvanced,
  acl: (ctx) => atLeastOneOf(ctx, [["allow"], ["deny"]], true),
  "ip-restriction": (ctx) => {
    atLeastOneOf(ctx, [["allow"], ["deny"]]);
    for (const list of ["allow", "deny"]) eachString(ctx, [list], (value, at) => (ipOrCidr(value) ? undefined : ctx.report(at, value, "invalid ip or cidr range", "invalid_value")));
  },
  "key-auth": (ctx) => eachString(ctx, ["key_names"], (value, at) => (value === "" || HEADER_NAME.test(value) ? undefined : ctx.report(at, value, HEADER_MESSAGE, "invalid_value"))),
  cors: (ctx) =>
    eachString(ctx, ["origins"], (value, at) => {
      const problem = value === "*" ? undefined : regexProblem(value);
      if (problem) ctx.report(at, value, `expected "*" or a valid regex: ${problem}`, "invalid_value");
    }),
  jwt: (ctx) => {
    const max = ctx.get(["maximum_expiration"]);
    const claims = ctx.get(["claims_to_verify"]);
    // an unset claims_to_verify passes (Kong's conditional matches `contains` against null as valid)
    if (typeof max === "number" && max > 0 && Array.isArray(claims) && !claims.includes("exp")) {
      ctx.report(["claims_to_verify"], claims, `expected to contain: exp when ${ctx.named(["maximum_expiration"])} is greater than 0`);
    }
  },
  "request-transformer": requestTransformer,
};

/** Whether a plugin has checks of its own here. */
export const hasEntityChecks = (name: string): boolean => CHECKS[name] !== undefined;

/**
 * The problems Kong's entity checks and custom validators find in a plugin body (Kong's names) at a
 * target, each at the config field it concerns (`config` for a check over several fields).
 */
export function entityCheckIssues(
  facts: PluginFacts,
  body: Record<string, unknown>,
  target: ResolvedTarget,
  isUnresolved: UnresolvedPredicate,
  propsOf: (kongPath: Path) => string,
): ValidationIssue[] {
  const check = CHECKS[facts.name];
  const config = body.config;
  if (!check || config === null || typeof config !== "object" || Array.isArray(config) || isUnresolved(config)) return [];
  const issues: ValidationIssue[] = [];
  const fieldAt = (path: Path) => {
    let field: typeof facts.config | undefined = facts.config;
    for (const segment of path) field = field?.t === "record" ? field.f?.[String(segment)] : field?.t === "array" ? field.i : undefined;
    return field;
  };
  const ctx: Context = {
    has: (path) => {
      let field: typeof facts.config | undefined = facts.config;
      for (const segment of path) {
        field = field?.t === "record" ? field.f?.[String(segment)] : undefined;
        if (!field || !existsAt(field, target.dataIndex)) return false;
      }
      return true;
    },
    get: (path) => {
      let node: unknown = config;
      for (const segment of path) {
        if (isUnresolved(node)) return UNRESOLVED;
        if (node === undefined) break; // an unset record: its fields' defaults
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string | number, unknown>)[segment];
      }
      if (isUnresolved(node)) return UNRESOLVED;
      if (node !== undefined) return node;
      const field = fieldAt(path);
      return field && existsAt(field, target.dataIndex) ? attributesAt(field, target.dataIndex).d : undefined;
    },
    named: (path) => {
      const props = propsOf(["config", ...path]);
      const kong = ["config", ...path].join(".");
      return props === kong ? props : `${props} (Kong: ${kong})`;
    },
    report: (path, value, message, code = "conflict") => {
      const kongPath = ["config", ...path];
      issues.push({ code, kongPath, propPath: propsOf(kongPath), value: value === UNRESOLVED ? undefined : value, message });
    },
  };
  check(ctx);
  return issues;
}
