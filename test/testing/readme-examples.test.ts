/**
 * The code of the README's section "Test your own stack offline" is the tested example files, whole:
 * each TypeScript or JavaScript block follows a `<!-- example: <path> -->` line and is that file's
 * text (the examples compile and run: vitest runs examples/testing, jest examples/testing-jest).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import "../../src/testing/vitest.mjs";
import { WholeGatewayStack } from "../../examples/whole-gateway/main.js";
import { failureMessages } from "./matcher-cases.js";

const ROOT = path.resolve(__dirname, "..", "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The section, from its heading to the next heading of its level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading} in README.md`);
  const next = README.indexOf("\n## ", start + heading.length + 2);
  return README.slice(start, next < 0 ? undefined : next);
}

/** The fenced blocks of a text: their language, text, and the line before the fence. */
function blocks(text: string): Array<{ lang: string; code: string; before: string }> {
  const found: Array<{ lang: string; code: string; before: string }> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i]!);
    if (!open) continue;
    const close = lines.indexOf("```", i + 1);
    if (close < 0) throw new Error(`unclosed code block after line ${i + 1} of the section`);
    found.push({ lang: open[1]!, code: `${lines.slice(i + 1, close).join("\n")}\n`, before: lines[i - 1] ?? "" });
    i = close;
  }
  return found;
}

describe('the README\'s "Test your own stack offline"', () => {
  const text = section("## Test your own stack offline");

  it("shows whole example files, each exactly as it is", () => {
    const code = blocks(text).filter((block) => ["ts", "js", "typescript", "javascript"].includes(block.lang));
    const files = code.map(({ before }) => /^<!-- example: (\S+) -->$/.exec(before)?.[1] ?? `(no example line before a block: ${JSON.stringify(before)})`);
    expect(files).toEqual([
      "examples/testing/minimal-stack.test.ts",
      "examples/testing/whole-gateway.test.ts",
      "examples/testing-jest/jest.config.js",
      "examples/testing-jest/setup.ts",
      "examples/testing-jest/whole-gateway.test.ts",
    ]);
    for (const [i, file] of files.entries()) expect(code[i]!.code, file).toBe(readFileSync(path.join(ROOT, file), "utf8"));
  });

  it("quotes a failure message as the matcher gives it", () => {
    const quoted = blocks(text).filter((block) => block.lang === "" && block.code.startsWith("expected "));
    expect(quoted).toHaveLength(1);
    const messages = failureMessages(expect as never, new WholeGatewayStack(Testing.app(), "gateway"));
    expect(quoted[0]!.code).toBe(`${messages["a plugin whose config differs"]}\n`);
  });
});
