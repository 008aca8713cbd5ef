/**
 * Suppressions of the policy checks, kept in the metadata of the construct they are added to (as
 * cdk-nag keeps them): a suppression applies to the construct and to every construct inside it.
 */
import type { IConstruct } from "constructs";

/** A rule turned off for a construct and what it holds, and why. */
export interface KongSuppression {
  /** The rule's id, e.g. `KONG-ROUTE-1`. */
  readonly id: string;
  /** Why the rule does not apply here: at least 10 characters, shown in reviews and with `reportSuppressed`. */
  readonly reason: string;
}

/** The metadata type of suppressions (not an annotation: cdktf prints nothing of it). */
export const SUPPRESSIONS_METADATA = "cdktf-kong-gateway/suppressions";

/** The shortest reason accepted, as cdk-nag's. */
export const MIN_REASON_LENGTH = 10;

export function addSuppressions(scope: IConstruct, suppressions: readonly KongSuppression[]): void {
  // copied: a later change of the caller's objects changes nothing
  scope.node.addMetadata(SUPPRESSIONS_METADATA, suppressions.map((s) => ({ id: s?.id, reason: s?.reason })), { stackTrace: false });
}

/** The suppressions added to this construct itself. */
export function ownSuppressions(node: IConstruct): KongSuppression[] {
  return node.node.metadata.filter((m) => m.type === SUPPRESSIONS_METADATA).flatMap((m) => m.data as KongSuppression[]);
}

/** Whether a suppression is well-formed: a string id and a reason long enough. */
export function isValidSuppression(s: KongSuppression, ids: readonly string[]): boolean {
  return typeof s.id === "string" && ids.includes(s.id) && typeof s.reason === "string" && s.reason.trim().length >= MIN_REASON_LENGTH;
}

/** The valid suppression of a rule for a construct (its own, or one of a scope above it), nearest first. */
export function suppressionOf(node: IConstruct, id: string, ids: readonly string[]): { readonly suppression: KongSuppression; readonly on: IConstruct } | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    const found = ownSuppressions(scope).find((s) => s.id === id && isValidSuppression(s, ids));
    if (found) return { suppression: found, on: scope };
  }
  return undefined;
}
