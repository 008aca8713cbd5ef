/**
 * `import`'s code of one entity: what it cannot carry and what breaks this library's rules are said,
 * as comments in the code and as warnings.
 */
import { describe, expect, it } from "vitest";
import { generateEntity } from "../../src/cli/codegen-entity.js";
import { resolveTarget } from "../../src/schema/engine/target.js";
import { ENTITY_KIND_BY_NAME } from "../../src/schema/entity-kinds.js";
import { loadEntityFacts } from "../../src/schema/generated/entity-catalog.js";

const ID = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

describe("generateEntity", () => {
  it("says what it leaves out and what breaks a rule of this library", () => {
    const generated = generateEntity(
      ENTITY_KIND_BY_NAME.get("routes")!,
      loadEntityFacts("routes")!,
      { id: ID, name: "legacy", protocols: ["http", "https"], paths: null, future_field: true, created_at: 1, updated_at: 2 },
      { constructId: "legacy", target: resolveTarget({ edition: "oss", version: "3.9" }), references: new Map(), names: new Set(), referenced: false },
    );
    expect(generated.warnings).toEqual([
      `route ${ID} (default workspace): left out future_field: not fields of Route`,
      `route ${ID} (default workspace): the live value breaks a rule of this library: methods/hosts/headers/paths/snis: must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'`,
    ]);
    expect(generated.code).toBe(
      [
        `// route ${ID} (default workspace)`,
        `// warning: route ${ID} (default workspace): left out future_field: not fields of Route`,
        `// warning: route ${ID} (default workspace): the live value breaks a rule of this library: methods/hosts/headers/paths/snis: must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'`,
        `new Route(this, "legacy", {`,
        `  id: "${ID}",`,
        `  name: "legacy",`,
        `});`,
        ``,
      ].join("\n"),
    );
  });
});
