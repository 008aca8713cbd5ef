import { describe, expect, test } from "vitest";
import { Logger, REDACTED, Redactor, formatApplied, formatDeleted } from "../../src/runtime/log.js";
import { KongRequestError } from "../../src/runtime/errors.js";

describe("Redactor", () => {
  test("removes every known secret, longest first, in one pass", () => {
    const redactor = new Redactor();
    redactor.add("abc");
    redactor.add("abcdef");
    redactor.add("");
    redactor.add(undefined);

    expect(redactor.redact("x abcdef y abc z")).toBe(`x ${REDACTED} y ${REDACTED} z`);
    // the placeholder itself is never redacted again
    redactor.add("red");
    expect(redactor.redact("abc")).toBe(REDACTED);
  });

  test("removes secrets with regex characters and their JSON-escaped form", () => {
    const redactor = new Redactor();
    const secret = 'a.b*c"d\\e(f)';
    redactor.add(secret);

    expect(redactor.redact(`raw ${secret} json ${JSON.stringify(secret)}`)).toBe(`raw ${REDACTED} json "${REDACTED}"`);
    expect(redactor.redact("aXb*c")).toBe("aXb*c");
  });

  test("learns the config.secret of a plugin", () => {
    const redactor = new Redactor();
    redactor.addPluginSecret({ name: "session", config: { secret: "live-secret-1" } });
    redactor.addPluginSecret({ name: "session", config: null });
    redactor.addPluginSecret(null);

    expect(redactor.redact("is live-secret-1")).toBe(`is ${REDACTED}`);
  });

  test("scrub replaces config.secret anywhere but in Kong's error fields, and redacts strings", () => {
    const redactor = new Redactor();
    redactor.add("tok");
    const scrubbed = redactor.scrub({
      data: [{ config: { secret: "never-seen", cookie_name: "tok" } }],
      fields: { config: { secret: "expected a string" } },
      n: 1,
    });

    expect(scrubbed).toEqual({
      data: [{ config: { secret: REDACTED, cookie_name: REDACTED } }],
      fields: { config: { secret: "expected a string" } },
      n: 1,
    });
  });
});

describe("Logger", () => {
  function capture(debug = false) {
    let stdout = "";
    let stderr = "";
    const redactor = new Redactor();
    redactor.add("hunter2");
    const logger = new Logger({ write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) }, redactor, debug);
    return { logger, out: () => ({ stdout, stderr }) };
  }

  test("prints info on stdout, the rest on stderr, all redacted, warnings once", () => {
    const { logger, out } = capture();
    logger.info("created with hunter2");
    logger.warn("careful hunter2");
    logger.warn("careful hunter2");
    logger.error(new KongRequestError("bad hunter2"));
    logger.error(new TypeError("boom hunter2"));
    logger.debug("not shown");

    expect(out()).toMatchInlineSnapshot(`
      {
        "stderr": "kong: warning: careful <redacted>
      kong: error KONG_INVALID_REQUEST: bad <redacted>
      kong: error: boom <redacted>
      ",
        "stdout": "kong: created with <redacted>
      ",
      }
    `);
  });

  test("prints debug lines only when enabled", () => {
    const { logger, out } = capture(true);
    logger.debug("GET / hunter2");
    expect(out().stderr).toBe(`kong: debug: GET / ${REDACTED}\n`);
  });

  test("formats the action lines", () => {
    const id = "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c";
    expect([
      formatApplied("created", "session", id, "team-payments", [], 41),
      formatApplied("updated", "session", id, "team-payments", ["cookie_name", "rolling_timeout"], 41),
      formatApplied("updated", "rate-limiting", id, undefined, ["minute"], 41),
      formatApplied("unchanged", "session", id, undefined, [], 12),
      formatDeleted(true, "key-auth", id, undefined, 9),
      formatDeleted(false, "session", id, "team-payments", 9),
    ]).toMatchInlineSnapshot(`
      [
        "created session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c in workspace team-payments in 41 ms",
        "updated session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c in workspace team-payments (cookie_name, rolling_timeout) in 41 ms",
        "updated rate-limiting plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace; minute) in 41 ms",
        "session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c unchanged (default workspace) in 12 ms",
        "deleted key-auth plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) in 9 ms",
        "session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c already absent in workspace team-payments",
      ]
    `);
  });
});
