/**
 * `diff`'s notes on an entity apply would refuse: another stack's, or nobody's, at the id the code
 * declares; and none when the construct names the id (the apply adopts it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongAdminClient } from "../../src/runtime/client.js";
import { diffEntity } from "../../src/cli/diff-entities.js";
import type { DesiredEntity } from "../../src/cli/stacks.js";
import type { StackState } from "../../src/cli/state.js";
import { loadEntityFacts } from "../../src/schema/generated/entity-catalog.js";
import { KongEmulator } from "../../src/testing/index.js";

const OWNER = "0c3b5a71-2e4d-4f6a-8b9c-1d2e3f4a5b6c";
const OTHER = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";

describe("diff notes for entities apply would refuse", () => {
  let kong: KongEmulator;
  let client: KongAdminClient;
  const state: StackState = { file: "terraform.tfstate", triggers: new Map(), ids: new Map([["terraform_data.kong_owner_1", OWNER]]) };
  const desired = (adopt: boolean): DesiredEntity => ({
    stack: "gw",
    kind: "services",
    target: { edition: "oss", version: "3.9" },
    address: "terraform_data.kong_sync_1",
    id: ID,
    workspace: "",
    serverUrl: kong.url,
    path: "gw/orders",
    payload: { name: "orders", host: "orders.internal" },
    facts: loadEntityFacts("services")!,
    connection: {},
    ownerAddress: "terraform_data.kong_owner_1",
    adopt,
  });
  const context = () => ({ client: () => client, serverUrlOf: () => kong.url, addSecret: () => undefined, resolveNames: async () => undefined });

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1" });
    client = new KongAdminClient({ serverUrl: kong.url });
  });
  afterAll(async () => {
    await client.close();
    await kong.stop();
  });

  it("says another stack manages it, or nobody does, and nothing when the construct names its id", async () => {
    kong.addService({ id: ID, name: "orders", host: "orders.internal", tags: [`cdktf-kong-gateway:owner=${OTHER}`] } as never);
    expect(await diffEntity(desired(false), state, context())).toMatchObject({
      status: "unchanged",
      note: `another stack manages the live service (tag cdktf-kong-gateway:owner=${OTHER}): apply refuses to overwrite it unless the construct names its id`,
    });
    expect(await diffEntity(desired(true), state, context())).toMatchObject({
      note: `another stack manages the live service (tag cdktf-kong-gateway:owner=${OTHER}): the construct names its id, so the next apply takes it over`,
    });
    kong.reset();
    kong.addService({ id: ID, name: "orders", host: "orders.internal" } as never);
    expect(await diffEntity(desired(false), state, context())).toMatchObject({
      note: "no stack manages the live service (it carries no owner tag): apply refuses to overwrite it unless the construct names its id",
    });
    expect(await diffEntity(desired(true), state, context())).toMatchObject({ note: null });
  });
});
