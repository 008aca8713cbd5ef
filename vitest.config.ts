import { configDefaults, defineConfig } from "vitest/config";

import { fileURLToPath } from "node:url";

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // examples import the package by name; tests use the sources so that one copy of each module exists
    alias: [
      { find: /^cdktf-kong-gateway\/testing$/, replacement: src("testing/index.ts") },
      { find: /^cdktf-kong-gateway\/testing\/vitest$/, replacement: src("testing/vitest.mts") },
      { find: /^cdktf-kong-gateway$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // jest's example runs under jest (test/testing/jest-example.test.ts starts it)
    exclude: [...configDefaults.exclude, "examples/testing-jest/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.test.json" },
  },
});
