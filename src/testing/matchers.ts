/**
 * Matchers for vitest and jest: `expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 5 } })`
 * and `expect(stack).toHaveKongEntity("Route", { paths: ["/orders"] })`, over {@link kongBodies}. Both
 * runners take the same object (`expect.extend(kongMatchers)`); the setup entry points
 * `cdktf-kong-gateway/testing/vitest` and `cdktf-kong-gateway/testing/jest` call it and add the types.
 */
import type { IConstruct } from "constructs";
import { isStack } from "../internal/cdk.js";
import { customPluginFacts, secretsOf } from "../kong-plugin.js";
import { entitySecretPaths } from "../schema/engine/validate-entity.js";
import { ENTITY_KINDS, type EntityKind } from "../schema/entity-kinds.js";
import { loadEntityFacts } from "../schema/generated/entity-catalog.js";
import { loadPluginFacts } from "../schema/generated/catalog.js";
import { DATA_VERSIONS } from "../schema/generated/versions.js";
import { closest } from "../schema/suggest.js";
import { valueAt, withValueAt } from "../schema/validate.js";
import { isVaultReference } from "../schema/vault.js";
import { describeValue, isConstruct, kongBodies, type KongEntityBody, type KongPluginBody } from "./bodies.js";

/** The matchers, as a runner's `Assertion` / `jest.Matchers` declares them (`R`: what a matcher returns). */
export interface KongMatchers<R = unknown> {
  /**
   * The received stack (or app, or construct) has a plugin of this name whose Kong body matches
   * `partial` (in Kong's names, as the Admin API receives it: `{ route: { id }, config: { limit_by } }`;
   * a construct stands for `{ id }`, asymmetric matchers such as `expect.any(Number)` are welcome).
   */
  toHaveKongPlugin(name: string, partial?: Record<string, unknown>): R;
  /**
   * The received stack has a core entity of this kind — its construct's name (`"Route"`, `"KeyAuth"`)
   * or Kong's DAO name (`"routes"`, `"keyauth_credentials"`) — whose Kong body matches `partial`.
   */
  toHaveKongEntity(kind: string, partial?: Record<string, unknown>): R;
}

/** What both runners give a matcher as `this`. */
export interface KongMatcherContext {
  readonly isNot?: boolean;
  equals(a: unknown, b: unknown): boolean;
}

/** What a matcher returns, to vitest and jest alike. */
export interface KongMatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** What a secret the test expects shows in a message: `(secret)`, unquoted (no value of the body). */
const SECRET = "(secret)";
const HIDDEN = { asymmetricMatch: () => false, toAsymmetricMatcher: () => SECRET };

/** How many differences of one candidate a failure lists. */
const MAX_DIFFERENCES = 5;
/** How many candidates (or matches, for `.not`) a failure lists. */
const MAX_CANDIDATES = 10;
/** How many plugins or entities of the stack a failure lists when none is a candidate. */
const MAX_INVENTORY = 20;

/**
 * The matchers, for `expect.extend(kongMatchers)` in vitest or jest (the setup entry points do it).
 *
 * @example
 * expect.extend(kongMatchers);
 * expect(stack).toHaveKongPlugin("rate-limiting", { service: orders, config: { minute: 60 } });
 */
export const kongMatchers = {
  toHaveKongPlugin(this: KongMatcherContext, received: unknown, name: string, partial?: Record<string, unknown>): KongMatcherResult {
    const scope = receivedScope("toHaveKongPlugin", received);
    if (typeof name !== "string" || name === "") throw new TypeError(`toHaveKongPlugin takes a plugin name (e.g. "rate-limiting"), got ${describeValue(name)}`);
    const all = kongBodies(scope).plugins;
    const candidates = all.filter((plugin) => plugin.name === name);
    const others = all.map((plugin) => `${plugin.name} at ${plugin.path}`);
    const facts = loadPluginFacts(name) ?? customPluginFacts(name);
    const secrets = (body: Record<string, unknown>) => DATA_VERSIONS.flatMap((_, index) => secretsOf(facts, body, index));
    return result(this, scope, `${article(name)} ${name} plugin`, `${name} plugins`, candidates, others.length === 0 ? "no plugins" : `plugins: ${listed(others, MAX_INVENTORY)}`, partial, secrets);
  },

  toHaveKongEntity(this: KongMatcherContext, received: unknown, kind: string, partial?: Record<string, unknown>): KongMatcherResult {
    const scope = receivedScope("toHaveKongEntity", received);
    const entityKind = kindOf(kind);
    const all = kongBodies(scope).entities;
    const candidates = all.filter((entity) => entity.kind === entityKind.construct);
    const others = all.map((entity) => `${entity.kind} at ${entity.path}`);
    return result(
      this,
      scope,
      `${article(entityKind.what)} ${entityKind.what}`,
      `${entityKind.what}s`,
      candidates,
      others.length === 0 ? "no entities" : `entities: ${listed(others, MAX_INVENTORY)}`,
      partial,
      (body) => DATA_VERSIONS.flatMap((_, index) => entitySecretPaths(entityKind, loadEntityFacts(entityKind.name)!, body, index)),
    );
  },
};

/** The matchers' verdict and messages, for plugins and entities alike. */
function result(
  context: KongMatcherContext,
  scope: IConstruct,
  one: string,
  many: string,
  candidates: ReadonlyArray<KongPluginBody | KongEntityBody>,
  inventory: string,
  partial: Record<string, unknown> | undefined,
  secretsIn: (body: Record<string, unknown>) => ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number> }>,
): KongMatcherResult {
  const subject = subjectOf(scope);
  const expected = partial === undefined ? undefined : normalise(partial);
  const matching = candidates.filter((candidate) => expected === undefined || differences(context, candidate.body, expected, []).length === 0);
  // a secret the test expects is never printed (it may come from the environment)
  const secretPaths = (expected !== undefined && isPlainObject(expected) ? secretsIn(expected).map((s) => s.kongPath) : []).filter((kongPath) => {
    const value = valueAt(expected, kongPath);
    return !(typeof value === "string" && (/^\(secret(?: from .*)?\)$/.test(value) || isVaultReference(value)));
  });
  const shownExpected = secretPaths.reduce<unknown>((value, kongPath) => withValueAt(value, kongPath, HIDDEN), expected);
  const isSecret = new Set(secretPaths.map(formatPath));
  const what = expected === undefined ? one : `${one} matching ${show(shownExpected)}`;
  if (matching.length > 0) {
    const paths = listed(matching.map((candidate) => candidate.path), MAX_CANDIDATES);
    return { pass: true, message: () => `expected ${subject} not to have ${what}, and ${matching.length === 1 ? `${paths} is one` : `${paths} are`}` };
  }
  if (candidates.length === 0) return { pass: false, message: () => `expected ${subject} to have ${what}, and it has none; its ${inventory}` };
  return {
    pass: false,
    message: () => {
      const lines = candidates.slice(0, MAX_CANDIDATES).map((candidate) => {
        const found = differences(context, candidate.body, expected!, []);
        const shown = found
          .slice(0, MAX_DIFFERENCES)
          // the expected value as the header shows it: its secrets masked at any depth below the difference
          .map(({ path, at, actual }) => `${path || "(body)"} is ${actual === undefined ? "absent" : show(actual)}, expected ${isSecret.has(path) ? SECRET : show(at.length === 0 ? shownExpected : valueAt(shownExpected, at))}`);
        if (found.length > MAX_DIFFERENCES) shown.push(`and ${found.length - MAX_DIFFERENCES} more`);
        return `  ${candidate.path}: ${shown.join("; ")}`;
      });
      if (candidates.length > MAX_CANDIDATES) lines.push(`  and ${candidates.length - MAX_CANDIDATES} more ${many}`);
      return `expected ${subject} to have ${what}; its ${many}:\n${lines.join("\n")}`;
    },
  };
}

interface Difference {
  readonly path: string;
  /** the path as segments */
  readonly at: ReadonlyArray<string | number>;
  readonly actual: unknown;
  readonly wanted: unknown;
}

/**
 * Where `actual` differs from the partial `expected`, as `toMatchObject` compares: an object's keys
 * that `expected` names (others are ignored), a list item by item and of the same length, and
 * everything else (asymmetric matchers included) by the runner's own equality.
 */
function differences(context: KongMatcherContext, actual: unknown, expected: unknown, path: Array<string | number>): Difference[] {
  const here = (): Difference[] => [{ path: formatPath(path), at: [...path], actual, wanted: expected }];
  if (isAsymmetric(expected)) return context.equals(actual, expected) ? [] : here();
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return here();
    return expected.flatMap((item, i) => differences(context, actual[i], item, [...path, i]));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return here();
    return Object.keys(expected).flatMap((key) => differences(context, actual[key], expected[key], [...path, key]));
  }
  return context.equals(actual, expected) ? [] : here();
}

/** A construct in the expected value stands for the reference Kong takes, `{ id }`. */
function normalise(value: unknown): unknown {
  if (isAsymmetric(value)) return value;
  const reference = value as { toKongReference?: unknown } | null;
  if (typeof reference === "object" && reference !== null && typeof reference.toKongReference === "function") return (reference.toKongReference as () => unknown)();
  if (Array.isArray(value)) return value.map(normalise);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item)]));
  return value;
}

function receivedScope(matcher: string, received: unknown): IConstruct {
  if (isConstruct(received)) return received;
  const hint = typeof received === "string" ? ": the sync layout's bodies are not in cdk.tf.json, pass the stack itself, expect(stack)" : "";
  throw new TypeError(`${matcher} takes a stack (or any construct), got ${describeValue(received)}${hint}`);
}

function kindOf(kind: unknown): EntityKind {
  const found = ENTITY_KINDS.find((k) => k.construct === kind || k.name === kind);
  if (found) return found;
  const names = ENTITY_KINDS.map((k) => k.construct);
  const guess = typeof kind === "string" ? closest(kind, [...names, ...ENTITY_KINDS.map((k) => k.name)]) : undefined;
  throw new TypeError(
    `toHaveKongEntity takes an entity kind, a construct's name or Kong's DAO name, got ${typeof kind === "string" ? JSON.stringify(kind) : describeValue(kind)}${guess ? ` (did you mean ${guess}?)` : ""}; the kinds: ${names.join(", ")}`,
  );
}

function subjectOf(scope: IConstruct): string {
  if (scope.node.scope === undefined) return "the app";
  return `${isStack(scope) ? "stack" : "construct"} "${scope.node.path}"`;
}

/** "an" before a vowel sound of the names at hand (acl, openid-connect, upstream, SNI, HMAC), else "a". */
function article(word: string): string {
  return /^(?:[aeio]|upstream|sni|hmac)/i.test(word) ? "an" : "a";
}

function isAsymmetric(value: unknown): value is { asymmetricMatch: (other: unknown) => boolean } {
  return typeof value === "object" && value !== null && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === "function";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The first `max` items, and how many more. */
function listed(items: readonly string[], max: number): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join("");
}

/** A value in a message: compact, keys unquoted, asymmetric matchers by their own names, long ones cut. */
function show(value: unknown): string {
  const text = format(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function format(value: unknown): string {
  if (isAsymmetric(value)) {
    const named = value as { toAsymmetricMatcher?: () => string; toString: () => string };
    return typeof named.toAsymmetricMatcher === "function" ? named.toAsymmetricMatcher() : named.toString();
  }
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `[${value.map(format).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${format(item)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
