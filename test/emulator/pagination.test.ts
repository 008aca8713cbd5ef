/**
 * Listing: pages ordered by id, `offset` tokens and `next` links as Kong builds them, and the `tags`
 * filter (`a,b` needs every tag, `a/b` any of them; checked in kong/api/endpoints.lua).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { call, IDS } from "./support.js";

let kong: KongEmulator;
const ids = ["a", "b", "c", "d", "e"].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`);
// one plugin per (name, route, service, consumer): five global plugins need five names
const names = ["session", "cors", "correlation-id", "jwt", "key-auth"];

beforeAll(async () => {
  kong = await KongEmulator.start();
});
afterAll(async () => {
  await kong.stop();
});
beforeEach(async () => {
  kong.reset();
  kong.addRoute({ id: IDS.route });
  const tags = [["red"], ["red", "blue"], ["blue"], null, ["red", "blue", "green"]];
  // created out of id order: listings must still come sorted by id
  for (const i of [3, 0, 4, 1, 2]) {
    const res = await call(kong, "PUT", `/plugins/${ids[i]}`, { name: names[i], instance_name: `p${i}`, ...(tags[i] ? { tags: tags[i] } : {}) });
    expect(res.status).toBe(200);
  }
});

describe("GET /plugins pagination", () => {
  it("returns everything on one page by default, with next null and no offset", async () => {
    const res = await call(kong, "GET", "/plugins");
    expect(res.body.data.map((p: { id: string }) => p.id)).toEqual(ids);
    expect(res.body.next).toBeNull();
    expect(res.body).not.toHaveProperty("offset");
  });

  it("walks pages of `size` with opaque offsets until next is null", async () => {
    const first = await call(kong, "GET", "/plugins?size=2");
    expect(first.body.data.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 2));
    expect(first.body.offset).toBe(Buffer.from(JSON.stringify([ids[1]])).toString("base64").replace(/=+$/, ""));
    expect(first.body.next).toBe(`/plugins?offset=${encodeURIComponent(first.body.offset)}&size=2`);

    const second = await call(kong, "GET", first.body.next);
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual(ids.slice(2, 4));
    const third = await call(kong, "GET", `/plugins?size=2&offset=${encodeURIComponent(second.body.offset)}`);
    expect(third.body.data.map((p: { id: string }) => p.id)).toEqual(ids.slice(4));
    expect(third.body.next).toBeNull();
    expect(third.body).not.toHaveProperty("offset");
  });

  it("keeps the tag filter in next links", async () => {
    const res = await call(kong, "GET", "/plugins?tags=red&size=1");
    expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
    expect(res.body.next).toMatch(/^\/plugins\?offset=[^&]+&tags=red&size=1$/);
  });
});

describe("tags filter", () => {
  const listed = async (query: string) => (await call(kong, "GET", `/plugins?tags=${query}`)).body.data.map((p: { instance_name: string }) => p.instance_name);

  it("a,b matches plugins carrying every tag", async () => {
    expect(await listed("red,blue")).toEqual(["p1", "p4"]);
    expect(await listed("red")).toEqual(["p0", "p1", "p4"]);
  });

  it("a/b matches plugins carrying any of the tags", async () => {
    expect(await listed("green/blue")).toEqual(["p1", "p2", "p4"]);
  });

  it("ignores tags on nested listings, like Kong", async () => {
    await call(kong, "PATCH", `/plugins/${ids[0]}`, { route: { id: IDS.route }, tags: ["x"] });
    const nested = await call(kong, "GET", `/routes/${IDS.route}/plugins?tags=nothing-has-this`);
    expect(nested.body.data).toHaveLength(1);
  });
});

describe("nested listing pages", () => {
  it("builds next from the parent path as given, without size or tags", async () => {
    kong.addRoute({ id: IDS.route2, name: "r2" });
    for (const id of ids.slice(0, 3)) await call(kong, "PATCH", `/plugins/${id}`, { route: { id: IDS.route2 } });
    const res = await call(kong, "GET", "/routes/r2/plugins?size=1");
    expect(res.body.data).toHaveLength(1);
    expect(res.body.next).toMatch(/^\/routes\/r2\/plugins\?offset=[^&]+$/);
  });
});
