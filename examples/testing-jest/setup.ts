// Run by jest before each test file (setupFilesAfterEnv): cdktf's matchers and this library's.
import { Testing } from "cdktf";
import "cdktf-kong-gateway/testing/jest"; // adds expect(stack).toHaveKongPlugin(…) and toHaveKongEntity(…)

Testing.setupJest(); // adds toHaveResource(…), toHaveResourceWithProperties(…), toBeValidTerraform(), …
