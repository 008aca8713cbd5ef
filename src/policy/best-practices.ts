/**
 * The policy rule pack: an aspect that checks the plugins, entities and providers of a stack against
 * Kong's security and operations practices at synth, and reports each finding as an annotation
 * naming the rule id and the construct path (an error fails `cdktf synth`).
 */
import type { IConstruct } from "constructs";
import { annotate, isStack, type IAspect } from "../internal/cdk.js";
import { POLICY_PACK } from "../internal/policy-bridge.js";
import { KongEntityConstruct } from "../kong-entity.js";
import type { KongGatewayProvider } from "../kong-gateway-provider.js";
import { KongPluginConstruct } from "../kong-plugin.js";
import { closest } from "../schema/suggest.js";
import { type KongRuleInfo, type KongRuleLevel, type Rule, type RuleContext } from "./rule.js";
import { GATEWAY_RULES } from "./rules-gateway.js";
import { PLUGIN_RULES } from "./rules-plugins.js";
import { show, subjectOf, type EntitySubject, type PluginSubject } from "./subject.js";
import { MIN_REASON_LENGTH, addSuppressions, isValidSuppression, ownSuppressions, suppressionOf, type KongSuppression } from "./suppressions.js";

export type { KongRuleInfo, KongRuleLevel, KongSuppression };

/** Every rule, in the README's order. */
const RULES: readonly Rule[] = [...GATEWAY_RULES.slice(0, 3), ...PLUGIN_RULES, ...GATEWAY_RULES.slice(3)];
const IDS = RULES.map((rule) => rule.id);

/** Options of {@link KongBestPractices}. */
export interface KongBestPracticesProps {
  /**
   * How many Kong nodes proxy the stack's traffic. With more than one, a rate limiter that counts
   * per node (`policy: "local"`) is an error; with one, it is fine.
   *
   * @default - unknown: such a rate limiter is a warning
   */
  readonly nodes?: number;
  /**
   * Levels other than the rules' own, by rule id: `"error"`, `"warning"`, or `"off"` to skip the
   * rule everywhere (to skip it for some constructs only, suppress it there).
   *
   * @default - each rule's own level (see the README's table)
   */
  readonly levels?: Readonly<Record<string, KongRuleLevel | "off">>;
  /**
   * Report each suppressed finding as an info annotation, with the suppression's reason.
   *
   * @default false
   */
  readonly reportSuppressed?: boolean;
}

/**
 * Kong's security and operations practices, checked at synth: add it to the app or a stack with
 * `Aspects.of(app).add(new KongBestPractices())`. Each finding is an annotation on the construct,
 * `[<rule id>] <construct>: <problem>; <fix>`; errors fail `cdktf synth`. A rule is suppressed for a
 * construct and what it holds with {@link KongBestPractices.suppress}, giving the reason.
 *
 * @example
 * Aspects.of(app).add(new KongBestPractices({ nodes: 3 }));
 * KongBestPractices.suppress(healthRoute, [{ id: "KONG-ROUTE-1", reason: "the load balancer's health check calls it without credentials" }]);
 */
export class KongBestPractices implements IAspect {
  /** Every rule: its id, level, what it checks and how to fix it. */
  static readonly RULES: readonly KongRuleInfo[] = RULES.map(({ id, level, summary, fix }) => ({ id, level, summary, fix }));

  /**
   * Suppresses rules for a construct and every construct inside it (a stack, a route, a plugin).
   * Each suppression names the rule and says why it does not apply (at least 10 characters); a
   * suppression without a reason, or of an unknown rule, is an error of the check.
   */
  static suppress(scope: IConstruct, suppressions: readonly KongSuppression[]): void {
    addSuppressions(scope, suppressions);
  }

  /** @internal the mark that lets a pack added above a stack run over it */
  readonly [POLICY_PACK] = true;
  private readonly nodes?: number;
  private readonly levels: ReadonlyMap<string, KongRuleLevel | "off">;
  private readonly reportSuppressed: boolean;
  private readonly declared = new WeakMap<KongGatewayProvider, { count: number; plugins: PluginSubject[]; entities: EntitySubject[] }>();

  constructor(props: KongBestPracticesProps = {}) {
    const problems: string[] = [];
    const { nodes, levels = {}, reportSuppressed = false } = props;
    if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1)) problems.push(`nodes: ${JSON.stringify(nodes)} is not a whole number of at least 1`);
    for (const [id, level] of Object.entries(levels)) {
      if (!IDS.includes(id)) {
        const guess = closest(id, IDS);
        problems.push(`levels.${id}: no rule has this id${guess ? ` (did you mean ${guess}?)` : ""}; KongBestPractices.RULES lists the rules`);
      } else if (!["error", "warning", "off"].includes(level)) problems.push(`levels.${id}: ${JSON.stringify(level)} is not "error", "warning" or "off"`);
    }
    if (problems.length > 0) throw new Error(`invalid KongBestPractices options:\n  ${problems.join("\n  ")}`);
    if (nodes !== undefined) this.nodes = nodes;
    this.levels = new Map(Object.entries(levels));
    this.reportSuppressed = reportSuppressed;
  }

  visit(node: IConstruct): void {
    this.checkSuppressions(node);
    const subject = subjectOf(node);
    if (!subject) return;
    const context: RuleContext = { ...(this.nodes !== undefined ? { nodes: this.nodes } : {}), declaredOn: (provider) => this.declaredOn(provider) };
    for (const rule of RULES) {
      const level = this.levels.get(rule.id) ?? rule.level;
      if (level === "off") continue;
      for (const finding of rule.check(subject, context)) {
        const message = `[${rule.id}] ${subject.subject}: ${finding.message}`;
        const suppressed = suppressionOf(node, rule.id, IDS);
        if (suppressed) {
          if (this.reportSuppressed) report(node, "info", `${message} (suppressed on "${suppressed.on.node.path}": ${suppressed.suppression.reason})`);
          continue;
        }
        // a level the options give wins over the finding's own
        report(node, this.levels.has(rule.id) ? level : (finding.level ?? rule.level), message);
      }
    }
  }

  /**
   * A suppression that names no rule, or gives no reason, is an error where it was added; one added
   * above a stack (to the app), on the stack: cdktf collects the annotations of a stack's constructs only.
   */
  private checkSuppressions(node: IConstruct): void {
    const above = isStack(node) ? node.node.scopes.slice(0, -1) : [];
    for (const scope of [...above, node]) this.checkSuppressionsOf(scope, node);
  }

  private checkSuppressionsOf(scope: IConstruct, node: IConstruct): void {
    for (const s of ownSuppressions(scope)) {
      if (isValidSuppression(s, IDS)) continue;
      const on = scope.node.path === "" ? "the app" : `"${scope.node.path}"`;
      if (typeof s.id !== "string") {
        report(node, "error", `[KongBestPractices] suppression on ${on}: id is ${show(s.id)}, not the id of a rule; KongBestPractices.RULES lists them`);
      } else if (!IDS.includes(s.id)) {
        const guess = closest(s.id, IDS);
        report(node, "error", `[KongBestPractices] suppression of ${JSON.stringify(s.id)} on ${on}: no rule has this id${guess ? ` (did you mean ${guess}?)` : ""}; KongBestPractices.RULES lists the rules`);
      } else {
        report(
          node,
          "error",
          `[KongBestPractices] suppression of ${s.id} on ${on}: reason is ${show(s.reason)}; a suppression needs a reason of at least ${MIN_REASON_LENGTH} characters saying why the rule does not apply, and suppresses nothing until then`,
        );
      }
    }
  }

  /** The plugins and entities of a provider as subjects, computed again when more are declared. */
  private declaredOn(provider: KongGatewayProvider) {
    const cached = this.declared.get(provider);
    if (cached && cached.count === provider.declared.length) return cached;
    const plugins: PluginSubject[] = [];
    const entities: EntitySubject[] = [];
    for (const construct of provider.declared) {
      const subject = subjectOf(construct);
      if (construct instanceof KongPluginConstruct && subject?.type === "plugin") plugins.push(subject);
      else if (construct instanceof KongEntityConstruct && subject?.type === "entity") entities.push(subject);
    }
    const computed = { count: provider.declared.length, plugins, entities };
    this.declared.set(provider, computed);
    return computed;
  }
}

/** Adds an annotation once: cdktf runs the aspects on every synth of a stack, and a stack may be synthesized again. */
function report(node: IConstruct, level: KongRuleLevel | "info", message: string): void {
  const type = `@cdktf/${level === "warning" ? "warn" : level}`;
  if (node.node.metadata.some((m) => m.type === type && m.data === message)) return;
  annotate(node, level, message);
}
