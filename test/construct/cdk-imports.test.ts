import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { expect, test } from "vitest";

const SRC = path.join(__dirname, "..", "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

test("only src/internal/cdk.ts imports cdktf and its null provider binding", () => {
  const importers = sources(SRC)
    .filter((file) => /^(?:import|export)\b[^;]*?from\s+"(?:cdktf|@cdktf\/[^"]+)"|require\("(?:cdktf|@cdktf\/[^"]+)"\)/m.test(readFileSync(file, "utf8")))
    .map((file) => path.relative(SRC, file).split(path.sep).join("/"));
  expect(importers).toEqual(["internal/cdk.ts"]);
});
