/**
 * What a plugin or entity construct sends Kong, kept on the construct for `kongBodies` and the
 * matchers of `cdktf-kong-gateway/testing`: the validated body (references as cdktf tokens, literal
 * secrets as they are) and where its secrets are, the same for both layouts. A symbol of the global
 * registry, so that a second copy of the library in a project still finds it.
 */
import type { IConstruct } from "constructs";

const KONG_BODY = Symbol.for("cdktf-kong-gateway/kong-body");

export interface KongBodyRecord {
  /** a plugin, or a core entity */
  readonly type: "plugin" | "entity";
  /** the plugin's name (`rate-limiting`), or the entity's DAO name (`routes`) */
  readonly kind: string;
  readonly id: string;
  readonly workspace?: string;
  /** the validated Kong body; references are cdktf tokens */
  readonly body: Record<string, unknown>;
  readonly secretPaths: ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number> }>;
}

/** Keeps the body of a construct (not enumerable: nothing that walks the construct sees it). */
export function recordKongBody(construct: IConstruct, record: KongBodyRecord): void {
  Object.defineProperty(construct, KONG_BODY, { value: record, enumerable: false });
}

/** The body a construct recorded, if it is a plugin or entity construct. */
export function kongBodyOf(construct: IConstruct): KongBodyRecord | undefined {
  return (construct as unknown as Record<symbol, KongBodyRecord | undefined>)[KONG_BODY];
}
