/**
 * The committed generated files are exactly what the generator produces from Kong's published data
 * (../shared/kong), when that data is here; without it the check is skipped, loudly.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATA, differences, generate } from "../../scripts/generate-plugins.js";

const present = existsSync(DATA);
if (!present) process.stderr.write(`\n*** SKIPPED: the generator check needs Kong's published data at ${DATA} ***\n\n`);

describe.skipIf(!present)("the generated files", () => {
  it("are what scripts/generate-plugins.ts produces (run npm run generate after changing it)", () => {
    expect(differences(generate())).toEqual([]);
  });
});
