/**
 * What a plugin or entity construct sends Kong, kept on the construct for `kongBodies`, the
 * matchers of `cdktf-kong-gateway/testing` and the policy checks (`KongBestPractices`): the validated body (references as cdktf tokens, literal
 * secrets as they are) and where its secrets are, the same for both layouts. A symbol of the global
 * registry, so that a second copy of the library in a project still finds it.
 */
import type { IConstruct } from "constructs";
import type { EntityFacts, PluginFacts } from "../schema/facts.js";

const KONG_BODY = Symbol.for("cdktf-kong-gateway/kong-body");

/** What every construct's record holds. */
interface BodyRecord {
  readonly id: string;
  readonly workspace?: string;
  /** the validated Kong body; references are cdktf tokens; literal secrets as given: never print it */
  readonly body: Record<string, unknown>;
  /** where its secrets are (strings of fields Kong marks encrypted or referenceable, and an entity's secrets) */
  readonly secretPaths: ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number>; readonly propPath: string }>;
}

/** A plugin's record. */
export interface PluginBodyRecord extends BodyRecord {
  readonly type: "plugin";
  /** the plugin's name (`rate-limiting`) */
  readonly kind: string;
  /** the plugin's facts; none for a custom plugin */
  readonly facts?: PluginFacts;
  /** the props give `config` in Kong's names (`KongPlugin`) */
  readonly configInKongNames: boolean;
}

/** A core entity's record. */
export interface EntityBodyRecord extends BodyRecord {
  readonly type: "entity";
  /** the entity's DAO name (`routes`) */
  readonly kind: string;
  readonly facts: EntityFacts;
  /** the entity in a sentence (`route`, `key-auth credential`) */
  readonly what: string;
}

export type KongBodyRecord = PluginBodyRecord | EntityBodyRecord;

/** Keeps the body of a construct (not enumerable: nothing that walks the construct sees it). */
export function recordKongBody(construct: IConstruct, record: KongBodyRecord): void {
  Object.defineProperty(construct, KONG_BODY, { value: record, enumerable: false });
}

/** The body a construct recorded, if it is a plugin or entity construct. */
export function kongBodyOf(construct: IConstruct): KongBodyRecord | undefined {
  return (construct as unknown as Record<symbol, KongBodyRecord | undefined>)[KONG_BODY];
}
