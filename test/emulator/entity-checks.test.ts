/**
 * The entity checkers of kong/db/schema/init.lua as entity-checks.ts runs them, on rules of their own
 * (the ten plugins' rules are pinned through the Admin API in plugins.test.ts): Kong's message formats,
 * where each error goes, and when a check does not run.
 */
import { describe, expect, it } from "vitest";
import { KongInternalError, schemaViolation } from "../../src/testing/kong-errors.js";
import type { LuaTable } from "../../src/testing/lua-compat.js";
import { runEntityChecks, type EntityCheck } from "../../src/testing/entity-checks.js";
import type { JsonSchemaNode } from "../../src/testing/plugin-catalog.js";

const CONFIG: JsonSchemaNode = {
  type: "object",
  properties: {
    a: { type: "string" },
    b: { type: "string" },
    mode: { type: "string", enum: ["x", "y"] },
    ref: { type: "string", "x-referenceable": true },
  },
  additionalProperties: false,
};

function check(checks: EntityCheck[], config: unknown, fullCheck = true): string | undefined {
  const errors: LuaTable = new Map();
  runEntityChecks({ name: "test", entityChecks: checks }, { name: "test", config }, CONFIG, fullCheck, errors);
  return errors.size > 0 ? schemaViolation(errors).message : undefined;
}

describe("Kong's entity checkers", () => {
  it("mutually_required: all or none", () => {
    const checks: EntityCheck[] = [{ mutually_required: ["config.a", "config.b"] }];
    expect(check(checks, { a: "1", b: null })).toBe("schema violation (all or none of these fields must be set: 'config.a', 'config.b')");
    expect(check(checks, { a: "1", b: "2" })).toBeUndefined();
    expect(check(checks, { a: null, b: null })).toBeUndefined();
  });

  it("mutually_exclusive: one or none", () => {
    const checks: EntityCheck[] = [{ mutually_exclusive: ["config.a", "config.b"] }];
    expect(check(checks, { a: "1", b: "2" })).toBe("schema violation (only one or none of these fields must be set: 'config.a', 'config.b')");
    expect(check(checks, { a: "1", b: null })).toBeUndefined();
  });

  it("conditional_at_least_one_of: then, else, and the custom messages", () => {
    const checks: EntityCheck[] = [
      { conditional_at_least_one_of: { if_field: "config.mode", if_match: { eq: "x" }, then_at_least_one_of: ["config.a"], else_match: { eq: "y" }, else_then_at_least_one_of: ["config.b"], else_then_err: "mode y needs %s" } },
    ];
    expect(check(checks, { mode: "x", a: null, b: null })).toBe("schema violation (at least one of these fields must be non-empty: 'config.a')");
    expect(check(checks, { mode: "y", a: null, b: null })).toBe("schema violation (mode y needs 'config.b')");
    expect(check(checks, { mode: "y", a: null, b: "2" })).toBeUndefined();
    expect(check(checks, { mode: null, a: null, b: null })).toBeUndefined();
  });

  it("conditional: the then_field's error at the field, and then_err instead of Kong's message", () => {
    const checks: EntityCheck[] = [{ conditional: { if_field: "config.mode", if_match: { one_of: ["y"] }, then_field: "config.a", then_match: { eq: "on" }, then_err: "mode %s wants a" } }];
    expect(check(checks, { mode: "y", a: "off" })).toBe("2 schema violations (mode config.mode wants a; config.a: value must be on)");
    expect(check(checks, { mode: "x", a: "off" })).toBeUndefined();
  });

  it("custom_entity_check: its message in @entity", () => {
    const checks: EntityCheck[] = [{ custom_entity_check: { field_sources: ["config"], fn: (entity) => ((entity["config"] as { a?: unknown }).a === "bad" ? "a is bad" : undefined) } }];
    expect(check(checks, { a: "bad" })).toBe("schema violation (a is bad)");
    expect(check(checks, { a: "good" })).toBeUndefined();
  });

  it("does not run a check whose field holds a vault reference", () => {
    const checks: EntityCheck[] = [{ mutually_exclusive: ["config.a", "config.ref"] }];
    expect(check(checks, { a: "1", ref: "{vault://env/x}" })).toBeUndefined();
    expect(check(checks, { a: "1", ref: "plain" })).toBe("schema violation (only one or none of these fields must be set: 'config.a', 'config.ref')");
  });

  it("a missing field (nil, not null) is 'field required for entity check'; none present, the check does not run; a number config is a Lua error", () => {
    const checks: EntityCheck[] = [{ only_one_of: ["config.a", "config.b"] }];
    expect(check(checks, { a: "1" })).toBe("schema violation (config.b: field required for entity check)");
    expect(check(checks, {})).toBeUndefined();
    // a string has no fields (nil), a number cannot be indexed (a Lua error: Kong answers 500)
    expect(check([{ at_least_one_of: ["config.a"] }], "x")).toBe("schema violation (at least one of these fields must be non-empty: 'config.a')");
    const taken: LuaTable = new Map([["config", "expected a record"]]);
    expect(() => runEntityChecks({ name: "test", entityChecks: checks }, { name: "test", config: 5 }, CONFIG, true, taken)).toThrow(KongInternalError);
  });

  it("at_least_one_of runs on a full check only when every field is missing", () => {
    const checks: EntityCheck[] = [{ at_least_one_of: ["config.a", "config.b"] }];
    expect(check(checks, {}, true)).toBe("schema violation (at least one of these fields must be non-empty: 'config.a', 'config.b')");
    expect(check(checks, {}, false)).toBeUndefined();
  });
});
