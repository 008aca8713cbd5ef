/**
 * A secret the test expects is never printed in a matcher's failure, also where the difference is at
 * a parent of the secret (an absent object, a list of another length): the expected value is shown
 * with its secrets masked at any depth.
 */
import { Testing, TerraformStack } from "cdktf";
import { expect, it } from "vitest";
import { Key, KongGatewayProvider, PluginOpenidConnect } from "../../src/index.js";
import "../../src/testing/vitest.mjs";

function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the assertion passed");
}

function gateway() {
  const stack = new TerraformStack(Testing.app(), "p");
  new KongGatewayProvider(stack, "kong", { edition: "enterprise" });
  new Key(stack, "k", { kid: "k1", name: "k1", jwk: '{"kty":"oct","k":"literal-jwk-aaaa"}' });
  new PluginOpenidConnect(stack, "oidc", { config: { issuer: "https://idp.example.com/", clientId: ["x"], clientSecret: ["literal-client-secret-bbbb"] } });
  return stack;
}

it("hides an expected secret inside an object the entity lacks (keys' pem.private_key)", () => {
  const message = failure(() => expect(gateway()).toHaveKongEntity("Key", { pem: { private_key: "expected-private-key-dddd" } }));
  expect(message).not.toContain("expected-private-key-dddd");
  expect(message).toMatchInlineSnapshot(`
    "expected stack "p" to have a key matching { pem: { private_key: (secret) } }; its keys:
      p/k: pem is absent, expected { private_key: (secret) }"
  `);
});

it("hides expected secrets in a list of another length (openid-connect's config.client_secret)", () => {
  const message = failure(() => expect(gateway()).toHaveKongPlugin("openid-connect", { config: { client_secret: ["expected-one-eeee", "expected-two-ffff"] } }));
  expect(message).not.toContain("expected-one-eeee");
  expect(message).not.toContain("expected-two-ffff");
  expect(message).toMatchInlineSnapshot(`
    "expected stack "p" to have an openid-connect plugin matching { config: { client_secret: [(secret), (secret)] } }; its openid-connect plugins:
      p/oidc: config.client_secret is ["(secret)"], expected [(secret), (secret)]"
  `);
});

it("hides an expected secret in a list of records the plugin lacks (openid-connect's config.client_jwk[].d)", () => {
  const message = failure(() => expect(gateway()).toHaveKongPlugin("openid-connect", { config: { client_jwk: [{ kty: "RSA", d: "expected-jwk-d-gggg" }] } }));
  expect(message).not.toContain("expected-jwk-d-gggg");
  expect(message).toMatchInlineSnapshot(`
    "expected stack "p" to have an openid-connect plugin matching { config: { client_jwk: [{ kty: "RSA", d: (secret) }] } }; its openid-connect plugins:
      p/oidc: config.client_jwk is absent, expected [{ kty: "RSA", d: (secret) }]"
  `);
});
