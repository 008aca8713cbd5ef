// Run by test/testing/jest-example.test.ts under jest: the matchers' failure messages there, into a file.
import { writeFileSync } from "node:fs";
import { Testing } from "cdktf";
import { WholeGatewayStack } from "../../../examples/whole-gateway/main";
import { failureMessages } from "../matcher-cases";

it("records the failure messages of the matchers", () => {
  const stack = new WholeGatewayStack(Testing.app(), "gateway");
  writeFileSync(process.env.KONG_MATCHER_MESSAGES!, JSON.stringify(failureMessages(expect as never, stack)));
});
