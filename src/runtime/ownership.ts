/**
 * Which stack a plugin belongs to.
 *
 * Every plugin the apply-time program writes carries one tag, `cdktf-kong-gateway:owner=<token>`,
 * where the token is the id Terraform gave the plugin's identity resource when it was created: random,
 * kept in that stack's state, and never the same for two stacks. The program overwrites or deletes
 * only a plugin that carries its own token, or none at all (a plugin written by cdktf-kong-gateway
 * 0.1, which wrote no tag, or one the user adopted by giving its id); a plugin that carries another
 * stack's token is left alone unless the construct names the plugin's id on purpose (adoption).
 */

/** The start of the owner tag; users' own tags may not start with it. */
export const OWNER_TAG_PREFIX = "cdktf-kong-gateway:owner=";

/** The owner tag of a token. */
export function ownerTag(token: string): string {
  return `${OWNER_TAG_PREFIX}${token}`;
}

/** Whose a live plugin is, as far as its tags tell. */
export type Ownership =
  | { readonly kind: "mine" }
  /** no owner tag: written by cdktf-kong-gateway 0.1, by hand, or by another tool */
  | { readonly kind: "unowned" }
  /** another stack's token */
  | { readonly kind: "other"; readonly tag: string };

/** The ownership of a live plugin for the stack whose token is `token`. */
export function ownershipOf(tags: unknown, token: string): Ownership {
  const owners = (Array.isArray(tags) ? tags : []).filter(
    (tag): tag is string => typeof tag === "string" && tag.startsWith(OWNER_TAG_PREFIX),
  );
  if (owners.length === 0) return { kind: "unowned" };
  if (owners.includes(ownerTag(token))) return { kind: "mine" };
  return { kind: "other", tag: owners[0]! };
}

/** The tags to write: the user's (without any owner tag) and this stack's owner tag, last. */
export function withOwnerTag(tags: unknown, token: string): unknown[] {
  const own = Array.isArray(tags) ? tags.filter((tag) => !(typeof tag === "string" && tag.startsWith(OWNER_TAG_PREFIX))) : [];
  return [...own, ownerTag(token)];
}

/** The user's tags of a live plugin: its tags without owner tags; null stays null. */
export function userTags(tags: unknown): unknown {
  if (!Array.isArray(tags)) return tags;
  return tags.filter((tag) => !(typeof tag === "string" && tag.startsWith(OWNER_TAG_PREFIX)));
}
