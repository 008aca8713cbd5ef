/**
 * docs/RELIABILITY.md cannot go stale: it must be exactly what the recorded results of the last full
 * run render, every scenario must have a result from that run, and no test may have changed since it
 * measured (then `npm run test:full` must run again). Skipped inside the full run itself, which
 * renders the document when it is done.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FULL } from "./support/mode.js";
import { DOC, loadResults, loadRun, MANIFEST, problems, render } from "./support/report.js";

describe.skipIf(FULL)("docs/RELIABILITY.md", () => {
  it("has a result from the last full run for every scenario, each measured by the test as it is now", () => {
    expect(problems(loadResults(), loadRun())).toEqual([]);
  });

  it("is exactly what the recorded results render", () => {
    const run = loadRun()!;
    expect(readFileSync(DOC, "utf8")).toBe(render(loadResults(), run));
  });

  it("records full sizes: at least 50 plugins under faults, 1,000 generated cases, 500 plugins of load, 20 converging runs of 100 plugins", () => {
    const results = loadResults();
    const text = (id: string) => JSON.stringify(results.get(id));
    expect(Number(/terraform apply \(create\) of (\d+) PluginSessions/.exec(text("faults-random"))?.[1])).toBeGreaterThanOrEqual(50);
    for (const cases of text("hostile-differential").matchAll(/([\d,]+) cases \(fast-check/g)) {
      expect(Number(cases[1]!.replace(/,/g, ""))).toBeGreaterThanOrEqual(1000);
    }
    expect(Number(/one stack of (\d+) PluginSessions/.exec(text("load"))?.[1])).toBeGreaterThanOrEqual(500);
    const convergence = /(\d+) real `terraform apply` runs of one stack of (\d+) PluginSessions/.exec(text("faults-convergence"));
    expect(Number(convergence?.[1])).toBeGreaterThanOrEqual(20);
    expect(Number(convergence?.[2])).toBeGreaterThanOrEqual(100);
  });

  it("lists every scenario of the manifest once", () => {
    const ids = MANIFEST.flatMap((s) => s.scenarios.map((x) => x.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
