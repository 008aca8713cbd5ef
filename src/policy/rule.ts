/**
 * The shape of a rule of the policy checks: a stable id, a level, one line on what it checks and
 * one on how to fix it, and the check itself over one subject.
 */
import type { KongGatewayProvider } from "../kong-gateway-provider.js";
import type { EntitySubject, PluginSubject, ProviderSubject, Subject } from "./subject.js";

/** How a finding is reported: an error fails `cdktf synth`, a warning is printed. */
export type KongRuleLevel = "error" | "warning";

/** A rule as the README lists it. */
export interface KongRuleInfo {
  /** Stable id, `KONG-<AREA>-<n>`: what suppressions and level overrides name. */
  readonly id: string;
  /** The level of its findings, unless the options change it. */
  readonly level: KongRuleLevel;
  /** What it checks, in one line. */
  readonly summary: string;
  /** How to comply, in one line. */
  readonly fix: string;
}

/** One problem a rule found: its message (without the rule id), and its level when it differs from the rule's. */
export interface Finding {
  readonly message: string;
  readonly level?: KongRuleLevel;
}

/** What a check may know beside its subject. */
export interface RuleContext {
  /**
   * How many Kong nodes proxy the traffic, when the options say.
   */
  readonly nodes?: number;
  /** The subjects of the plugins and entities of a provider, in the order declared. */
  declaredOn(provider: KongGatewayProvider): { readonly plugins: readonly PluginSubject[]; readonly entities: readonly EntitySubject[] };
}

/** A rule: its facts, and its check over any subject (no finding for a subject it does not read). */
export interface Rule extends KongRuleInfo {
  check(subject: Subject, context: RuleContext): Finding[];
}

/** The check of the plugins of some names (all, without names); a plugin with `enabled: false` is not checked. */
export function onPlugins(names: readonly string[] | undefined, check: (subject: PluginSubject, context: RuleContext) => Array<Finding | string>): Rule["check"] {
  return (subject, context) => (subject.type === "plugin" && subject.enabled && (!names || names.includes(subject.name)) ? check(subject, context).map(asFinding) : []);
}

/** The check of the entities of one kind (Kong's DAO name). */
export function onEntities(kind: string, check: (subject: EntitySubject, context: RuleContext) => Array<Finding | string>): Rule["check"] {
  return (subject, context) => (subject.type === "entity" && subject.kind === kind ? check(subject, context).map(asFinding) : []);
}

/** The check of the providers. */
export function onProviders(check: (subject: ProviderSubject, context: RuleContext) => Array<Finding | string>): Rule["check"] {
  return (subject, context) => (subject.type === "provider" ? check(subject, context).map(asFinding) : []);
}

const asFinding = (finding: Finding | string): Finding => (typeof finding === "string" ? { message: finding } : finding);
