/**
 * cdktf tokens in user values, and strings made safe for Terraform's JSON syntax.
 */
import { functionsOf, isToken, tokenString, type IResolvable, type TerraformResource } from "./cdk.js";
import type { IConstruct } from "constructs";
import type { RefPlaceholder } from "../runtime/contract.js";

/** True for a value Terraform computes at apply (a cdktf token), anywhere cdktf allows one. */
export function isUnresolved(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "object" && !Array.isArray(value)) return typeof (value as { resolve?: unknown }).resolve === "function";
  // every string token holds a marker `${TfToken[…]}` (lists `#{TfToken[…]}`, maps `&{TfToken[…]}`): most
  // strings are not tokens, and this test is much cheaper than cdktf's
  if (typeof value === "string") return value.includes("TfToken[") && isToken(value);
  if (typeof value === "number" || Array.isArray(value)) return isToken(value);
  return false;
}

const TOKEN_PATTERN = /\$\{TfToken\[[^\]]*\]\}/g;
const TEMPLATE_START = /[$%]\{/;

/**
 * Escapes a literal string for Terraform's JSON syntax, where strings are templates: `${` → `$${`,
 * `%{` → `%%{`. Token markers inside the string are kept, so they still resolve to references.
 */
export function escapeTemplate(value: string): string {
  if (!TEMPLATE_START.test(value)) return value; // nothing to escape, and no token either
  let out = "";
  let last = 0;
  for (const match of value.matchAll(TOKEN_PATTERN)) {
    out += escapeLiteral(value.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeLiteral(value.slice(last));
}

function escapeLiteral(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/**
 * Replaces every unresolved value in a payload by a {@link RefPlaceholder} and returns the values, to
 * be written as separate Terraform strings: a string as a template (its literal parts escaped), any
 * other value (number, boolean, list, object) through `jsonencode()`.
 */
export function extractRefs(
  scope: IConstruct,
  payload: Record<string, unknown>,
  refOf: (i: number) => string = String,
): { payload: Record<string, unknown>; refs: Record<string, string> } {
  const refs: Record<string, string> = {};
  let next = 0;
  const visit = (value: unknown): unknown => {
    if (isUnresolved(value)) {
      const ref = refOf(next++);
      const isString = typeof value === "string";
      refs[ref] = isString ? escapeTemplate(value) : functionsOf(scope).jsonencode(value);
      const placeholder: RefPlaceholder = { $ref: ref, as: isString ? "string" : "json" };
      return placeholder;
    }
    if (value === null || typeof value !== "object") return value;
    // copied only where something inside was replaced
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const visited = visit(item);
        if (visited !== item) (copy ??= [...value])[i] = visited;
      });
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      const visited = visit(item);
      if (visited !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = visited;
    }
    return copy ?? value;
  };
  return { payload: visit(payload) as Record<string, unknown>, refs };
}

/**
 * `${<type>.<logical id>.<attribute>}` as a string token, like `resource.id`, without the full stack
 * trace cdktf captures for each of its references (the most expensive part of a thousand plugins'
 * synth): the library's own references never need it, their errors name the construct.
 */
export function attributeReference(resource: TerraformResource, attribute: string): string {
  const reference: IResolvable = {
    creationStack: [],
    resolve: () => `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`,
    toString: () => tokenString(resource, reference),
  };
  return tokenString(resource, reference);
}

const dependencies = new WeakMap<TerraformResource, string>();

/**
 * A resource as an entry of `depends_on` (`<type>.<logical id>`), as cdktf's own `dependsOn` makes it,
 * without a stack trace; one token per resource, shared by all that depend on it (a thousand plugins
 * depend on one reaper).
 */
export function dependencyOn(resource: TerraformResource): string {
  let token = dependencies.get(resource);
  if (token === undefined) {
    const dependency: IResolvable = {
      creationStack: [],
      resolve: (context) => {
        context.suppressBraces = true;
        return resource.fqn;
      },
      toString: () => tokenString(resource, dependency),
    };
    token = tokenString(resource, dependency);
    dependencies.set(resource, token);
  }
  return token;
}
