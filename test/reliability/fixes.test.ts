/**
 * The disagreements the differential test found, pinned one by one: each case as the library and
 * the emulator's Kong-faithful validator now see it (the emulator over real HTTP where the bug was
 * in how it reads a body).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAttributes, validateKongPayload } from "../../src/schema/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { validateSessionPlugin } from "../../src/testing/kong-schema.js";

const KONG = { edition: "enterprise", version: "3.15.0" } as const;
const messages = (body: Record<string, unknown>) => validateKongPayload({ name: "session", ...body }).map((i) => `${i.propPath}: ${i.message}`);
const kong = (body: Record<string, unknown>) => validateSessionPlugin({ name: "session", ...body }, KONG)?.message;

describe("found by the differential test", () => {
  it("condition: counted in characters, as Enterprise's schema (maxLength) and the official provider (UTF8LengthAtMost) count them", () => {
    for (const char of ["é", "🍪"]) {
      expect(messages({ condition: char.repeat(1024) })).toEqual([]);
      expect(kong({ condition: char.repeat(1024) })).toBeUndefined();
      expect(messages({ condition: char.repeat(1025) })).toEqual(["condition: length must be at most 1024 characters"]);
      expect(kong({ condition: char.repeat(1025) })).toBe("schema violation (condition: length must be at most 1024)");
    }
  });

  it("created_at: Kong's timestamp rule wants more than 0", () => {
    expect(messages({ created_at: 1 })).toEqual([]);
    for (const bad of [0, -1]) {
      expect(messages({ created_at: bad })).toEqual(["createdAt: expected a valid timestamp"]);
      expect(kong({ created_at: bad })).toBe("schema violation (created_at: expected a valid timestamp)");
    }
  });

  it("a lone surrogate: the library rejects it in any string field", () => {
    expect(messages({ config: { cookie_name: "a\ud800b" } })).toEqual([
      "config.cookieName: expected well-formed unicode text, got a lone utf-16 surrogate (Kong cannot parse it, Terraform would replace it)",
    ]);
    expect(messages({ tags: ["\udc00"], instance_name: "x\ud83d" }).map((m) => m.split(":")[0]).sort()).toEqual(["instanceName", "tags[0]"]);
    expect(messages({ config: { cookie_name: "🍪" } })).toEqual([]);
  });

  it("partials: an id is not required (a partial may be linked by name)", () => {
    expect(messages({ partials: [{ name: "redis-ee", path: "config.redis" }] })).toEqual([]);
    expect(kong({ partials: [{ name: "redis-ee", path: "config.redis" }] })).toBeUndefined();
  });
});

describe("found by the differential test at full size", () => {
  it("an empty list where a scalar belongs is reported, not dropped as if unset", () => {
    for (const props of [{ enabled: [] }, { createdAt: [] }, { id: [] }, { config: { cookieSecure: [] } }, { config: { cookieName: [] } }]) {
      const result = validateAttributes(props as never);
      expect(result.success, JSON.stringify(props)).toBe(false);
    }
    // an empty list is a value in Kong (defaults fill only missing fields): it is sent as []
    expect(validateAttributes({ tags: [], config: { logoutMethods: [] } }).payload).toEqual({ name: "session", tags: [], config: { logout_methods: [] } });
  });
});

describe("the emulator reads a body like Kong", () => {
  let emulator: KongEmulator;
  beforeAll(async () => {
    emulator = await KongEmulator.start();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("refuses a body with a lone surrogate escape, as lua-cjson does: 400 Cannot parse JSON body", async () => {
    const post = (cookie: string) =>
      fetch(`${emulator.url}/plugins`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "session", config: { cookie_name: cookie } }) });
    const lone = await post("a\ud800b");
    expect(lone.status).toBe(400);
    expect(await lone.json()).toEqual({ message: "Cannot parse JSON body" });
    const pair = await post("a\ud83c\udf6ab");
    expect(pair.status).toBe(201);
    expect(emulator.plugins()).toHaveLength(1);
  });
});
