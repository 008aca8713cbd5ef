/**
 * Trust: redaction at sizes that broke it. The CLI (`import --all`, `import` by id, `diff`) against a
 * Kong holding many plugins whose secrets are 3,700 CJK characters, with the admin token set; and the
 * apply-time program with a 40,000-character secret that Kong's error answer echoes back. Redaction
 * is a plain-text search, so neither the number nor the size of the secrets can make it throw
 * (`Invalid regular expression: … too large`) and print the text unredacted; it happens before a
 * message is shortened, so no prefix of a secret survives either.
 */
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { KongEmulator } from "../../src/testing/index.js";
import { CLI, ROOT, size } from "./support/mode.js";
import { applyEnv, cleanEnv, runProgram, type ProgramResult } from "./support/program.js";
import { n, record, seconds, type ResultRow } from "./support/results.js";

const TOKEN = "kpat_redactlimits_W2eR4tY6uI8oP0aS1dF3";
/** Kong's default page is 100 plugins; with these secrets one page of more than 88 passes 1 MiB (one plugin's limit) */
const OTHERS = size(30, 80);
const CJK_LENGTH = 3700;
const LONG_LENGTH = 40_000;
/**
 * Plugins the debug runs read (`--tag debug-sample`): redacting debug output costs, per string
 * printed, time proportional to the total length of the secrets known (see the report), so a debug
 * run over all of them would take minutes.
 */
const DEBUG_SAMPLE = 8;
const IDS = ["1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a", "2e3d4c5b-6a7f-4e8d-9cab-1f2e3d4c5b6a", "3f4e5d6c-7b8a-4f9e-8dbc-2a3f4e5d6c7b"];

/** A seeded generator (mulberry32), so every run scans for the same secrets. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` CJK ideographs (U+4E00–U+9FFF), some with a regex special character after them. */
function cjkSecret(seed: number, length: number): string {
  const next = random(seed);
  let text = "";
  for (let i = 0; i < length; i++) {
    text += String.fromCodePoint(0x4e00 + Math.floor(next() * 0x5200));
    if (next() < 0.02 && i < length - 1) {
      text += "()[]{}*+?.\\|^$"[Math.floor(next() * 14)]!;
      i++;
    }
  }
  return text;
}

/** `length` characters: ASCII with every regex special character, spaces, CJK, accents and emoji. */
function mixedSecret(seed: number, length: number): string {
  const next = random(seed);
  const ascii = "abcXYZ0189-_~ ()[]{}*+?.\\|^$/\"'%&=";
  const chars: string[] = [];
  for (let i = 0; i < length - 2; i++) {
    const r = next();
    if (r < 0.6) chars.push(ascii[Math.floor(next() * ascii.length)]!);
    else if (r < 0.9) chars.push(String.fromCodePoint(0x4e00 + Math.floor(next() * 0x5200)));
    else if (r < 0.95) chars.push("éøßñ"[Math.floor(next() * 4)]!);
    else chars.push(String.fromCodePoint(0x1f300 + Math.floor(next() * 0x200)));
  }
  // no space at either end: a message trimmed of spaces would still hold the rest
  return `s${chars.join("")}e`;
}

/** The forms a secret could leak in: as is, JSON-escaped (both ways), URL-encoded, its first 12 characters. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [secret, json, asciiJson, encodeURIComponent(secret), [...secret].slice(0, 12).join("")];
}

/** Fails naming the secret (by its index) and the form that leaked. */
function expectNoLeak(where: string, text: string, secrets: readonly string[]): void {
  secrets.forEach((secret, i) => {
    for (const form of forms(secret)) expect(text.includes(form), `${where} contains secret ${i} in the form ${JSON.stringify(form.slice(0, 24))}…`).toBe(false);
  });
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
      if (typeof code === "string") return reject(error);
      resolve({ code: typeof code === "number" ? code : 1, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const rows: ResultRow[] = [];

describe(`the CLI against ${OTHERS} other plugins with ${n(CJK_LENGTH)}-character CJK secrets, the admin token set`, () => {
  let kong: KongEmulator;
  let outdir: string;
  const secrets: string[] = [];
  const desiredSecret = cjkSecret(9001, CJK_LENGTH);

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN });
    for (let i = 0; i < OTHERS; i++) {
      const secret = cjkSecret(i + 1, CJK_LENGTH);
      secrets.push(secret);
      kong.seedPlugin({
        name: "session",
        config: { secret, cookie_name: `other-${i}` },
        ...(i % 3 === 0 ? { instance_name: `other-${i}` } : {}),
        ...(i < DEBUG_SAMPLE ? { tags: ["debug-sample"] } : {}),
      });
    }
    // the stack's own plugins, live with other values than the code's
    const live = [cjkSecret(7001, CJK_LENGTH), cjkSecret(7002, CJK_LENGTH)];
    secrets.push(...live, desiredSecret);
    const routes = IDS.map(() => kong.addRoute({ paths: ["/"] }).id);
    kong.seedPlugin({ id: IDS[0], name: "session", route: { id: routes[0]! }, config: { secret: live[0], cookie_name: "old" } });
    kong.seedPlugin({ id: IDS[1], name: "session", route: { id: routes[1]! }, config: { secret: live[1], cookie_name: "old" } });

    outdir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-redaction-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "kong");
    new LocalBackend(stack, { path: path.join(outdir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, backend: "terraform_data", layout: "per-resource" });
    new PluginSession(stack, "desired", { id: IDS[0], route: { id: routes[0]! }, config: { secret: desiredSecret, cookieName: "new" } });
    new PluginSession(stack, "kept", { id: IDS[1], route: { id: routes[1]! }, config: { cookieName: "new" } });
    new PluginSession(stack, "absent", { id: IDS[2], route: { id: routes[2]! }, config: { cookieName: "new" } });
    app.synth();
  });
  afterAll(async () => {
    await kong?.stop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const env = () => ({ [ENV.adminToken]: TOKEN, KONG_ADMIN_URL: kong.url });
  const CASES: Array<{ name: string; args: () => string[]; env?: Record<string, string>; exit: number; expect: (r: { stdout: string; stderr: string }) => void }> = [
    {
      name: "import --all",
      args: () => ["import", "--all"],
      exit: 0,
      expect: (r) => {
        expect(r.stderr).toContain(`found ${OTHERS + 2} plugins of 1 kind and ${IDS.length} entities of 1 kind in the default workspace at `);
        expect(r.stdout.match(/new PluginSession\(/g)).toHaveLength(OTHERS + 2);
      },
    },
    {
      name: `import --all --tag (${DEBUG_SAMPLE} of them), debug on (every answer printed, redacted)`,
      args: () => ["import", "--all", "--tag", "debug-sample"],
      env: { KONG_CDKTF_DEBUG: "1" },
      exit: 0,
      expect: (r) => {
        expect(r.stderr).toContain("debug: GET ");
        expect(r.stderr).toContain("<redacted>");
        expect(r.stdout.match(/new PluginSession\(/g)).toHaveLength(DEBUG_SAMPLE);
      },
    },
    {
      name: "import by id",
      args: () => ["import", JSON.stringify({ id: IDS[0] })],
      exit: 0,
      expect: (r) => expect(r.stdout).toContain(`id: "${IDS[0]}"`),
    },
    {
      name: "diff (a literal long secret in the code, long secrets live)",
      args: () => ["diff", "--out", outdir],
      exit: 2,
      expect: (r) => {
        expect(r.stdout).toMatch(/~ update/);
        expect(r.stdout).toMatch(/\+ create/);
      },
    },
    {
      name: "diff --json, debug on",
      args: () => ["diff", "--out", outdir, "--json"],
      env: { KONG_CDKTF_DEBUG: "1" },
      exit: 2,
      expect: (r) => {
        const doc = JSON.parse(r.stdout) as { summary: Record<string, number> };
        expect(doc.summary).toMatchObject({ create: 1, update: 2 });
      },
    },
  ];

  for (const c of CASES) {
    it(`${c.name}: exit ${c.exit}, no "Invalid regular expression", neither the token nor any secret in any form`, async () => {
      const result = await cli(c.args(), { ...env(), ...c.env });
      expect(result.code, result.stderr.slice(0, 2000)).toBe(c.exit);
      const output = result.stdout + result.stderr;
      expect(output).not.toMatch(/Invalid regular expression|withheld/);
      c.expect(result);
      expectNoLeak(`CLI ${c.name}`, output, [TOKEN, ...secrets]);
      rows.push({
        tried: `CLI \`${c.args().map((a) => (a === outdir ? "<synth dir>" : a)).join(" ")}\`${c.env?.KONG_CDKTF_DEBUG ? " with KONG_CDKTF_DEBUG=1" : ""}${c.args().includes("--tag") ? ` (reads the ${DEBUG_SAMPLE} tagged)` : ""}: ${OTHERS + 2} live session plugins with ${n(CJK_LENGTH)}-character CJK secrets (some with regex specials), admin token required`,
        times: `1 run, ${n(output.length)} characters of output`,
        held: `exit ${c.exit} in ${seconds(result.ms)}; no "Invalid regular expression"; the token and ${secrets.length} secrets absent as is, JSON-escaped, \\u-escaped, URL-encoded and by their first 12 characters`,
      });
    });
  }

  it("reads a page of plugins larger than 1 MiB (100 such plugins), without leaking", async () => {
    const more: string[] = [];
    for (let i = OTHERS + 2; i < 100; i++) {
      const secret = cjkSecret(i + 1, CJK_LENGTH);
      more.push(secret);
      kong.seedPlugin({ name: "session", config: { secret, cookie_name: `other-${i}` } });
    }
    const result = await cli(["import", "--all"], env());
    expect(result.code).toBe(0);
    expect(result.stdout.match(/new PluginSession\(/g)).toHaveLength(100);
    expectNoLeak("CLI import --all of 100", result.stdout + result.stderr, [TOKEN, ...secrets, ...more]);
    rows.push({
      tried: `CLI \`import --all\` with 100 such plugins: Kong's default page of 100 is over 1 MiB (pages may take 16 MiB)`,
      times: "1 run",
      held: `exit 0 in ${seconds(result.ms)}; 100 plugins printed; no token or secret`,
    });
  });
});

/** A Kong whose error answers echo the secret of the PUT they reject. */
async function echoingKong(answer: (secret: string) => { status: number; type: string; body: string }): Promise<{ url: string; close: () => Promise<void>; puts: () => number }> {
  let puts = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET") {
        res.writeHead(404, { "content-type": "application/json; charset=utf-8" }).end('{"message":"Not found"}');
        return;
      }
      puts++;
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { config: { secret: string } };
      const reply = answer(body.config.secret);
      res.writeHead(reply.status, { "content-type": reply.type }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    puts: () => puts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const JSON_TYPE = "application/json; charset=utf-8";
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

describe(`the apply-time program with a ${n(LONG_LENGTH)}-character secret that Kong's error echoes`, () => {
  const LONG = mixedSecret(424242, LONG_LENGTH);
  const SHORT = "Zq7#wK";
  const ID = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d";

  const ANSWERS: Array<{ name: string; code: RegExp; reply: (secret: string) => { status: number; type: string; body: string } }> = [
    {
      name: "400 schema violation, the secret in message and fields",
      code: /^kong: error KONG_SCHEMA_VIOLATION: kong rejected the session plugin \(PUT \/plugins\/\S+\) with 1 schema violation:$/m,
      reply: (s) => ({ status: 400, type: JSON_TYPE, body: JSON.stringify({ code: 2, name: "schema violation", message: `schema violation (config.secret: invalid value '${s}')`, fields: { config: { secret: `invalid value '${s}'` } } }) }),
    },
    {
      name: "400 schema violation, JSON with every non-ASCII character \\u-escaped",
      code: /^kong: error KONG_SCHEMA_VIOLATION: /m,
      reply: (s) => ({ status: 400, type: JSON_TYPE, body: asciiJson({ code: 2, name: "schema violation", message: `schema violation (config.secret: ${s})`, fields: { config: { secret: s } } }) }),
    },
    {
      name: "409 unique violation naming the secret as an instance name",
      code: /^kong: error KONG_UNIQUE_VIOLATION: /m,
      reply: (s) => ({ status: 409, type: JSON_TYPE, body: JSON.stringify({ code: 5, name: "unique constraint violation", message: `UNIQUE violation detected on '{instance_name="${s}"}'` }) }),
    },
    {
      name: "500 text page echoing the secret (the message is shortened after redaction)",
      code: /^kong: error KONG_HTTP_ERROR: kong answered 500 to PUT \/plugins\/\S+: upstream rejected <redacted>/m,
      reply: (s) => ({ status: 500, type: "text/plain", body: `upstream rejected ${s}   and\n\nmore ${s}` }),
    },
    {
      name: "400 whose whole message is the secret",
      code: /^kong: error KONG_HTTP_ERROR: kong answered 400 to PUT \/plugins\/\S+: <redacted>$/m,
      reply: (s) => ({ status: 400, type: JSON_TYPE, body: JSON.stringify({ message: s }) }),
    },
  ];

  const outcomes: Array<{ name: string; result: ProgramResult }> = [];

  for (const secret of [LONG, SHORT]) {
    const label = secret === LONG ? `${n(LONG_LENGTH)}-character secret` : `${SHORT.length}-character secret (redacted as a whole word)`;
    for (const answer of ANSWERS) {
      for (const debug of [false, true]) {
        it(`fails when Kong answers ${answer.name}, ${label}${debug ? ", debug on" : ""}: exit 1, one error line, the secret absent`, async () => {
          const kong = await echoingKong(answer.reply);
          try {
            const env = {
              ...applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: { $ref: "secret", as: "base64" }, cookie_name: "sid" } }, token: TOKEN, debug }),
              [`${ENV.refPrefix}secret`]: Buffer.from(secret, "utf8").toString("base64"),
            };
            const result = await runProgram("apply", env);
            expect(kong.puts()).toBe(1);
            expect(result.code).toBe(1);
            const errors = result.stderr.split("\n").filter((line) => line.startsWith("kong: error"));
            expect(errors).toHaveLength(1);
            expect(errors[0]!.length).toBeGreaterThan("kong: error KONG_HTTP_ERROR: ".length);
            expect(result.stderr).toMatch(answer.code);
            expect(result.stderr).toContain("<redacted>");
            const output = result.stdout + result.stderr;
            expect(output).not.toMatch(/Invalid regular expression|withheld/);
            expect(output.length).toBeLessThan(secret === LONG && !debug ? 2000 : 1_000_000);
            expectNoLeak(`program, ${answer.name}`, output, [TOKEN, secret]);
            if (secret === SHORT) expect(output).not.toMatch(new RegExp(`(?<![\\p{L}\\p{N}_])Zq7#wK(?![\\p{L}\\p{N}_])`, "u"));
            outcomes.push({ name: `${answer.name}, ${label}${debug ? ", debug" : ""}`, result });
          } finally {
            await kong.close();
          }
        });
      }
    }
  }

  it("records what held", () => {
    const long = outcomes.filter((o) => o.name.includes(n(LONG_LENGTH)));
    const short = outcomes.filter((o) => !o.name.includes(n(LONG_LENGTH)));
    const ms = long.map((o) => o.result.ms);
    rows.push({
      tried: `apply-time program, a ${n(LONG_LENGTH)}-character secret (ASCII with every regex special character and spaces, CJK, accents, emoji; ${n(Buffer.byteLength(LONG))} bytes) that Kong's error echoes: ${ANSWERS.map((a) => a.name).join("; ")}`,
      times: `${long.length} runs (debug on and off)`,
      held: `exit 1 in ${seconds(Math.min(...ms))}–${seconds(Math.max(...ms))}; exactly one non-empty \`kong: error …\` line with its code; no "Invalid regular expression"; the secret and the token absent as is, JSON-escaped, \\u-escaped, URL-encoded and by their first 12 characters`,
    });
    rows.push({
      tried: `the same answers with a ${SHORT.length}-character secret`,
      times: `${short.length} runs (debug on and off)`,
      held: "exit 1, one error line; the secret absent wherever it stands as a whole word (shorter than 8 characters: redacted only as a whole word)",
    });
    record({
      id: "trust-redaction",
      rows,
      figures: {
        "CLI secrets": `${OTHERS + 3} distinct secrets of ${n(CJK_LENGTH)} CJK characters (about ${n(CJK_LENGTH * 3)} bytes each)`,
        "program secret": `${n(LONG_LENGTH)} characters, ${n(Buffer.byteLength(LONG))} bytes, passed base64-encoded as the synthesized stack passes it`,
      },
    });
  });
});
