/**
 * The schema functions the apply-time program uses, in one place: the runtime re-validates a
 * resolved payload with the very rules the construct used at synth (the session plugin's hand
 * schema, or any other plugin's table of facts at the stack's Kong version and edition), and maps
 * Kong's field names back to the TypeScript props in messages. Loaded lazily (`await import`), so
 * `delete` and `reap` do not evaluate the schema. No table of facts is bundled: the one a plugin
 * needs is a file of its stack (`KONG_CDKTF_FACTS`).
 */
import { DEFAULT_TARGET, resolveTarget, type KongTarget } from "../schema/engine/target.js";
import { storesSameByFacts } from "../schema/engine/stored-facts.js";
import { kongPathToProps, validatePluginBody } from "../schema/engine/validate-plugin.js";
import type { PluginFacts } from "../schema/facts.js";
import { kongPathToPropPath, validateKongPayload, type ValidationIssue } from "../schema/index.js";
import { storesSame } from "../schema/stored.js";

export { formatValidationIssues, kongPathToPropPath, validateKongPayload } from "../schema/index.js";
export type { ValidationIssue } from "../schema/index.js";
export { storesSame } from "../schema/stored.js";

/** What `apply` checks and compares a plugin by. */
export interface PluginRules {
  /** the problems of the resolved body */
  validate(body: Readonly<Record<string, unknown>>): ValidationIssue[];
  /** whether a `PUT` of the body would store what Kong holds */
  storesSame(body: Readonly<Record<string, unknown>>, live: Readonly<Record<string, unknown>>): boolean;
  /** a Kong path as the construct's props */
  propPathOf(kongPath: ReadonlyArray<string | number>): string;
}

/**
 * The rules of a plugin: the session plugin's hand-verified ones; a known plugin's facts at the
 * target; for a custom plugin (no facts), none: Kong validates it, and every apply writes it.
 */
export function rulesFor(name: string, facts: PluginFacts | undefined, target: KongTarget = DEFAULT_TARGET): PluginRules {
  if (facts) {
    const resolved = resolveTarget(target);
    return {
      validate: (body) => validatePluginBody(facts, body, resolved),
      storesSame: (body, live) => storesSameByFacts(body, live, facts, resolved),
      propPathOf: (kongPath) => kongPathToProps(facts, kongPath),
    };
  }
  if (name === "session") {
    return { validate: (body) => validateKongPayload(body), storesSame, propPathOf: kongPathToPropPath };
  }
  return { validate: () => [], storesSame: () => false, propPathOf: (kongPath) => formatKongPath(kongPath) };
}

function formatKongPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}
