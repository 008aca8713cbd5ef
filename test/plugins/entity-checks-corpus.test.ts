/**
 * Kong's documented example configurations (../shared/kong/plugin-examples) of the plugins with entity
 * checks pass them: a measure against false positives. Skipped where the data is not present.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { entityCheckIssues } from "../../src/schema/engine/entity-checks.js";
import { kongPathToProps } from "../../src/schema/engine/validate-plugin.js";
import { resolveTarget } from "../../src/schema/engine/target.js";
import { loadPluginFacts } from "../../src/schema/generated/catalog.js";

const ROOT = path.resolve(__dirname, "../../../shared/kong/plugin-examples");
const PLUGINS = ["key-auth", "rate-limiting", "cors", "acl", "openid-connect", "request-transformer", "jwt", "basic-auth", "ip-restriction", "rate-limiting-advanced"];
const present = existsSync(ROOT);

describe.skipIf(!present)("Kong's examples of the plugins with entity checks", () => {
  it("pass the checks at Kong Enterprise 3.15, but for placeholders", () => {
    const target = resolveTarget({ edition: "enterprise", version: "3.15" });
    const found: string[] = [];
    let count = 0;
    for (const plugin of PLUGINS) {
      const dir = path.join(ROOT, plugin);
      if (!existsSync(dir)) continue;
      const facts = loadPluginFacts(plugin)!;
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
        const example = parse(readFileSync(path.join(dir, file), "utf8")) as { config?: unknown };
        count++;
        for (const issue of entityCheckIssues(facts, { name: plugin, config: example.config ?? {} }, target, () => false, (p) => kongPathToProps(facts, p))) {
          found.push(`${plugin}/${file}: ${issue.propPath}: ${issue.message} (${JSON.stringify(issue.value)})`);
        }
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
