/**
 * `validate --out DIR`: every plugin a synthesized app declares, validated again as the apply-time
 * program will, for the Kong its stack's provider targets (or the `--kong-version` and `--edition`
 * given: would this app work on that Kong?). The session plugin by its hand-verified rules and what
 * the target lacks; any other plugin by its facts; a custom plugin is Kong's to validate. Values
 * known only at apply are not checked.
 */
import { isRefPlaceholder } from "../runtime/contract.js";
import type { ResolvedTarget } from "../schema/engine/target.js";
import { validatePluginBody } from "../schema/engine/validate-plugin.js";
import { loadPluginFacts } from "../schema/generated/catalog.js";
import { formatValidationIssues, validateKongPayload, type ValidationIssue } from "../schema/validate.js";
import { withoutPlaceholders } from "./applied.js";
import { resolveStackTarget } from "./compare-facts.js";
import { EXIT, type Output } from "./io.js";
import { desiredPlugins, readSynthOutput } from "./stacks.js";

/** Validates the plugins of the synthesized stacks; prints one line when all are valid, else the problems of each. */
export function validateStacks(outDir: string, only: readonly string[], override: ResolvedTarget | undefined, out: Output): number {
  const stacks = readSynthOutput(outDir, only);
  const reports: string[] = [];
  const custom: string[] = [];
  let count = 0;
  const labels = new Set<string>();
  for (const stack of stacks) {
    const { plugins, warnings } = desiredPlugins(stack);
    for (const warning of warnings) out.warn(warning);
    for (const plugin of plugins) {
      out.redactor.addPluginSecret(withoutPlaceholders(plugin.payload));
      const where = plugin.path ?? `${stack.name}/${plugin.address}`;
      const facts = loadPluginFacts(plugin.name);
      if (!facts) {
        custom.push(where);
        continue;
      }
      count++;
      const target = override ?? resolveStackTarget(plugin.target);
      labels.add(target.label);
      const issues: ValidationIssue[] =
        plugin.name === "session"
          ? [
              ...validateKongPayload(plugin.payload, isRefPlaceholder),
              ...validatePluginBody(facts, plugin.payload, target, isRefPlaceholder).filter((issue) => issue.code === "unavailable"),
            ]
          : validatePluginBody(facts, plugin.payload, target, isRefPlaceholder);
      if (issues.length > 0) reports.push(formatValidationIssues(`${plugin.name} plugin at "${where}" for ${target.label}`, issues));
    }
  }
  for (const where of custom) out.warn(`${where}: not validated: this library has no facts of its plugin (a custom plugin is validated by Kong only)`);
  if (reports.length > 0) {
    out.result(`${reports.join("\n")}\n`);
    return EXIT.error;
  }
  const plugins = `${count} ${count === 1 ? "plugin" : "plugins"}`;
  const stacksText = `${stacks.length} ${stacks.length === 1 ? "stack" : "stacks"}`;
  const forText = labels.size > 0 ? ` for ${[...labels].sort().join(", ")}` : "";
  out.result(`ok: ${plugins} of ${stacksText} in ${outDir} ${count === 1 ? "is" : "are"} valid${forText}\n`);
  return EXIT.ok;
}

