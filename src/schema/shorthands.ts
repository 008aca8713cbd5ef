/**
 * Kong's deprecated names of session config fields: the `shorthand_fields` of
 * kong/plugins/session/schema.lua ("deprecated forms, to be removed in Kong 4.0"). Kong accepts them
 * in `config`, checks their type, translates them into the current field (which they overwrite when
 * both are given: Kong has no `deprecation` table on them) and never returns them.
 *
 * Only `kong-gateway-cdktf validate` reads them, from input in Kong's names; the props of
 * `PluginSession` have no such names.
 */
import { camelCase, formatPath } from "./fields.js";
import { MESSAGES } from "./plugin-schema.js";
import type { Path, ValidationIssue } from "./validate.js";

/** One deprecated name and what Kong makes of it. */
export interface Shorthand {
  /** the deprecated name, in `config` */
  readonly alias: string;
  /** the type Kong checks it against */
  readonly kind: "number" | "string" | "boolean";
  /** the current field Kong sets from it; absent when Kong ignores it */
  readonly field?: string;
  /** a value Kong turns into another, and what it becomes (`cookie_samesite: "off"` → `"Lax"`) */
  readonly replaces?: { readonly from: unknown; readonly to: unknown };
}

/** Kong's shorthands of the session config, in the order Kong applies them. */
export const SESSION_SHORTHANDS: readonly Shorthand[] = [
  { alias: "cookie_lifetime", kind: "number", field: "rolling_timeout" },
  { alias: "cookie_idletime", kind: "number", field: "idling_timeout", replaces: { from: null, to: 0 } },
  // Kong only logs "[session] cookie_renew option does not exists anymore"
  { alias: "cookie_renew", kind: "number" },
  { alias: "cookie_discard", kind: "number", field: "stale_ttl" },
  { alias: "cookie_samesite", kind: "string", field: "cookie_same_site", replaces: { from: "off", to: "Lax" } },
  { alias: "cookie_httponly", kind: "boolean", field: "cookie_http_only" },
  { alias: "cookie_persistent", kind: "boolean", field: "remember" },
];

/** One deprecated name found in a config. */
export interface ShorthandUse {
  readonly shorthand: Shorthand;
  /** where it was given (`["config", "cookie_lifetime"]`) */
  readonly kongPath: Path;
  /** where its value went; absent when Kong ignores it or its type is wrong */
  readonly fieldPath?: Path;
  /** true when the value was one Kong replaces (`"off"`, or null for `cookie_idletime`) */
  readonly replaced: boolean;
  /** true when the current field was given too (the deprecated name's value wins) */
  readonly overrides: boolean;
}

/** What {@link expandShorthands} returns. */
export interface ShorthandExpansion {
  /** the config in current names only */
  readonly config: Record<string, unknown>;
  readonly uses: readonly ShorthandUse[];
  /** a deprecated name with a value of the wrong type, on its own path (Kong reports it so) */
  readonly issues: readonly ValidationIssue[];
}

const BY_NAME = new Map(SESSION_SHORTHANDS.flatMap((s) => [[s.alias, s] as const, [camelCase(s.alias), s] as const]));

/** The shorthand of a name, in Kong's (`cookie_lifetime`) or camelCase (`cookieLifetime`) spelling. */
export function shorthandNamed(name: string): Shorthand | undefined {
  return BY_NAME.get(name);
}

/**
 * Translates the deprecated names of a config as Kong does before it validates: each is checked
 * against its type, removed, and its value (translated) written into its current field.
 *
 * @param at the path of the config (`["config"]`)
 */
export function expandShorthands(config: Readonly<Record<string, unknown>>, at: Path): ShorthandExpansion {
  const out: Record<string, unknown> = { ...config };
  const uses: ShorthandUse[] = [];
  const issues: ValidationIssue[] = [];
  for (const shorthand of SESSION_SHORTHANDS) {
    if (!(shorthand.alias in config) || config[shorthand.alias] === undefined) continue;
    const value = config[shorthand.alias];
    const kongPath = [...at, shorthand.alias];
    delete out[shorthand.alias];
    // like any field Kong does not require, null passes the type check
    if (value !== null && typeof value !== shorthand.kind) {
      issues.push({ code: "invalid_value", kongPath, propPath: formatPath(kongPath), value, message: MESSAGES[shorthand.kind] });
      uses.push({ shorthand, kongPath, replaced: false, overrides: false });
      continue;
    }
    const replaced = shorthand.replaces !== undefined && value === shorthand.replaces.from;
    if (!shorthand.field) {
      uses.push({ shorthand, kongPath, replaced, overrides: false });
      continue;
    }
    const current = config[shorthand.field];
    out[shorthand.field] = replaced ? shorthand.replaces!.to : value;
    uses.push({ shorthand, kongPath, fieldPath: [...at, shorthand.field], replaced, overrides: current !== undefined && current !== null });
  }
  return { config: out, uses, issues };
}
