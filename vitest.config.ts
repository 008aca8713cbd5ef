import { defineConfig } from "vitest/config";

import { fileURLToPath } from "node:url";

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // examples import the package by name; tests use the sources so that one copy of each module exists
    alias: [
      { find: /^cdktf-kong-gateway\/testing$/, replacement: src("testing/index.ts") },
      { find: /^cdktf-kong-gateway$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.test.json" },
  },
});
