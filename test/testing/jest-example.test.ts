/**
 * The jest example (examples/testing-jest) under real jest 30 and ts-jest, with cdktf's
 * `Testing.setupJest()` and `cdktf-kong-gateway/testing/jest` in its setup file, against this
 * repository's build (dist/, which `npm test` builds first): ts-jest type-checks the example too.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import "../../src/testing/vitest.mjs";
import { WholeGatewayStack } from "../../examples/whole-gateway/main.js";
import { failureMessages } from "./matcher-cases.js";

const ROOT = path.resolve(__dirname, "..", "..");
const JEST = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");

/** This process's environment without what vitest adds. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "NODE_ENV"));

function jest(config: string, env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // --ci: a missing snapshot fails instead of being written; --no-cache: ts-jest checks the types afresh
    const args = [JEST, "--config", path.join(ROOT, config), "--ci", "--no-cache", "--colors=false"];
    execFile(process.execPath, args, { cwd: ROOT, env: { ...childEnv, ...env }, timeout: 240_000, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe("the jest example", () => {
  beforeAll(() => {
    for (const file of ["dist/index.js", "dist/testing/index.js", "dist/testing/jest.js", "dist/testing/jest.d.ts"]) {
      if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
    }
  });

  it("passes under jest, cdktf's matchers beside this library's, its snapshot unchanged", async () => {
    const { code, output } = await jest("test/testing/jest.config.js");
    expect(code, output).toBe(0);
    expect(output).toContain("PASS examples/testing-jest/whole-gateway.test.ts");
    expect(output).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(output).toMatch(/Snapshots:\s+1 passed, 1 total/);
  }, 300_000);

  it("fails under jest with the messages it gives under vitest", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kong-jest-messages-"));
    try {
      const file = path.join(dir, "messages.json");
      const { code, output } = await jest("test/testing/jest-messages.config.js", { KONG_MATCHER_MESSAGES: file });
      expect(code, output).toBe(0);
      const underJest = JSON.parse(readFileSync(file, "utf8"));
      expect(underJest).toEqual(failureMessages(expect as never, new WholeGatewayStack(Testing.app(), "gateway")));
      expect(Object.values(underJest)).not.toContain("(passed)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
