/**
 * Hostile input from the server: malformed answers (invalid JSON, another plugin's name, an HTML
 * error page, a huge body) from the emulator, and a web server that is not Kong at all. The bundled
 * program fails with one clear error line: no crash, no stack trace, nothing reported as done, and
 * neither the admin token nor a session secret echoed, with and without debug output.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator, type MalformedKind } from "../../src/testing/index.js";
import { applyEnv, deleteEnv, runProgram, type ProgramResult } from "./support/program.js";
import { n, record } from "./support/results.js";

const TOKEN = "kpat_malformed_J2kL5mN8pQ1rS4tU7vW0";
const DESIRED_SECRET = "DesiredS3cretMalformed0123456789abcdefABCD";
const LIVE_SECRET = "LiveS3cretMalformed0123456789abcdefABCDEFG";
const NODE_SECRET = "NodeS3cretMalformed0123456789abcdefABCDEFG";
const ID = "7b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const SECRETS = [TOKEN, DESIRED_SECRET, LIVE_SECRET, NODE_SECRET];
const connection = { requestTimeoutMs: 2000, deadlineMs: 8000, maxRetries: 2 };

/** One error line, nothing done, nothing leaked, no crash. */
function expectCleanFailure(result: ProgramResult, message: RegExp) {
  expect(result.signal).toBeNull();
  expect(result.code).toBe(1);
  expect(result.stdout).not.toMatch(/created|updated|unchanged|deleted|already absent/);
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("kong: error"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |TypeError|ReferenceError|Unhandled|node:internal/);
  for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
  expect(result.stderr.length).toBeLessThan(64 * 1024);
}

const outcomes: Array<{ what: string; runs: number }> = [];

describe("malformed answers from the emulator", () => {
  let kong: KongEmulator;

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN, nodeSecret: NODE_SECRET });
  });
  afterAll(async () => {
    await kong?.stop();
  });

  const MESSAGES: Record<MalformedKind, RegExp> = {
    "invalid-json": /^kong: error KONG_INVALID_RESPONSE: invalid JSON from (GET|PUT) \/plugins\/\S+ \(200\): the answer does not parse$/,
    html: /^kong: error KONG_INVALID_RESPONSE: invalid answer to (GET|PUT) \/plugins\/\S+ \(200\): expected JSON but got an HTML page: point the server URL at Kong's Admin API \(usually port 8001\), not Kong Manager or a proxy$/,
    huge: /^kong: error KONG_INVALID_RESPONSE: invalid answer to (GET|PUT) \/plugins\/\S+ \(200\): larger than 1 MiB$/,
    "wrong-plugin-name": /^kong: error (KONG_OWNERSHIP_CONFLICT: plugin \S+ \(default workspace\) is a "cors" plugin this stack did not create, not a session plugin: refusing to overwrite it \(give the construct another id, or delete that plugin\)|KONG_INVALID_RESPONSE: invalid answer to PUT: Kong returned plugin \S+ named "cors" instead of session plugin \S+)$/,
  };
  const DELETE_MESSAGES: Partial<Record<MalformedKind, RegExp>> = {
    // delete leaves a plugin of another kind alone, with a warning, and succeeds: checked separately
    "wrong-plugin-name": undefined,
  };

  const phases = [
    { name: "apply, answer to GET", action: "apply", request: 0 },
    { name: "apply, answer to PUT", action: "apply", request: 1 },
    { name: "delete, answer to GET", action: "delete", request: 0 },
  ] as const;

  for (const kind of Object.keys(MESSAGES) as MalformedKind[]) {
    for (const phase of phases) {
      for (const debug of [false, true]) {
        it(`${kind}, ${phase.name}${debug ? ", debug on" : ""}: one clear error, nothing done, nothing leaked`, async () => {
          kong.reset();
          kong.seedPlugin({ id: ID, name: "session", config: { secret: LIVE_SECRET, cookie_name: "before" } });
          // the first `request` requests pass (a delay of 0 is no change), then one answer is broken
          if (phase.request > 0) kong.faults.delayNext(phase.request, 0);
          kong.faults.malformedNext(1, kind);
          const env =
            phase.action === "apply"
              ? applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { cookie_name: "after", secret: DESIRED_SECRET } }, connection, token: TOKEN, debug })
              : deleteEnv({ pluginId: ID, serverUrl: kong.url, connection, token: TOKEN, debug });
          const result = await runProgram(phase.action, env);
          if (phase.action === "delete" && kind === "wrong-plugin-name") {
            expect(result.code).toBe(0);
            expect(result.stderr).toMatch(/kong: warning: plugin \S+ \(default workspace\) is a "cors" plugin, not a session plugin: left alone/);
            for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
            expect(kong.plugins()).toHaveLength(1);
          } else {
            expectCleanFailure(result, (phase.action === "delete" ? DELETE_MESSAGES[kind] : undefined) ?? MESSAGES[kind]);
            // a broken answer to GET stops the apply before it writes; a delete never deletes
            if (phase.request === 0) expect(kong.plugin(ID)?.config.cookie_name).toBe("before");
          }
          const what = `${kind} answer to ${phase.name.replace(", answer to", "'s")}`;
          const entry = outcomes.find((o) => o.what === what) ?? outcomes[outcomes.push({ what, runs: 0 }) - 1]!;
          entry.runs++;
        });
      }
    }
  }
});

/** A web server that is not Kong: every request gets the same answer. */
async function webServer(status: number, contentType: string, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const NOT_KONG: Array<{ name: string; status: number; type: string; body: string; message: RegExp }> = [
  {
    name: "404 HTML page",
    status: 404,
    type: "text/html",
    body: "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>",
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(404\): expected JSON but got an HTML page: point the server URL at Kong's Admin API \(usually port 8001\)$/,
  },
  {
    name: "200 HTML page",
    status: 200,
    type: "text/html; charset=utf-8",
    body: "<html><head><title>Kong Manager</title></head><body></body></html>",
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(200\): expected JSON but got an HTML page/,
  },
  {
    name: "200 plain text",
    status: 200,
    type: "text/plain",
    body: "OK",
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(200\): expected JSON$/,
  },
  {
    name: "200 JSON array",
    status: 200,
    type: "application/json",
    body: "[1,2,3]",
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(200\): expected a JSON object$/,
  },
  {
    name: "200 JSON object that is no plugin",
    status: 200,
    type: "application/json",
    body: '{"status":"ok"}',
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(200\): expected a plugin with an id and a name$/,
  },
  {
    name: "200 with 2 MiB of JSON",
    status: 200,
    type: "application/json",
    body: JSON.stringify({ id: ID, name: "session", padding: "x".repeat(2 * 1024 * 1024) }),
    message: /^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(200\): larger than 1 MiB$/,
  },
  {
    name: "502 HTML from a proxy, every time",
    status: 502,
    type: "text/html",
    body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    message: /^kong: error KONG_HTTP_ERROR: kong answered 502 to GET \/plugins\/\S+ after 3 attempts: an HTML page$/,
  },
];

describe("a web server that is not Kong", () => {
  for (const server of NOT_KONG) {
    for (const [action, debug] of [["apply", false], ["apply", true], ["delete", false], ["delete", true]] as const) {
      it(`${server.name}, ${action}${debug ? ", debug on" : ""}: one clear error, nothing reported done`, async () => {
        const web = await webServer(server.status, server.type, server.body);
        try {
          const env =
            action === "apply"
              ? applyEnv({ pluginId: ID, serverUrl: web.url, payload: { config: { secret: DESIRED_SECRET } }, connection: { ...connection, requestTimeoutMs: 5000 }, token: TOKEN })
              : deleteEnv({ pluginId: ID, serverUrl: web.url, connection, token: TOKEN });
          const result = await runProgram(action, { ...env, ...(debug ? { KONG_CDKTF_DEBUG: "1" } : {}) });
          expectCleanFailure(result, server.message);
          const what = `a web server that is not Kong: ${server.name}`;
          const entry = outcomes.find((o) => o.what === what) ?? outcomes[outcomes.push({ what, runs: 0 }) - 1]!;
          entry.runs++;
        } finally {
          await web.close();
        }
      });
    }
  }

  it("records the outcomes", () => {
    record({
      id: "hostile-malformed",
      rows: outcomes.map((o) => ({
        tried: o.what,
        times: `${n(o.runs)} runs of the bundled program (${o.what.includes(" answer to ") ? "debug on and off" : "apply and delete, debug on and off"})`,
        held: o.what.includes("wrong-plugin-name answer to delete")
          ? "exit 0, the other plugin left alone with a warning; no secret echoed"
          : `exit 1 with one clear ${o.what.includes("502") ? "KONG_HTTP_ERROR" : "KONG_INVALID_RESPONSE"} line; no stack trace; nothing reported done; no token or secret echoed`,
      })),
    });
  });
});
