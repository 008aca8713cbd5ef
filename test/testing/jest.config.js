// The jest example's own config, with this repository's build standing for the installed package
const path = require("node:path");

const example = path.resolve(__dirname, "..", "..", "examples", "testing-jest");
const dist = path.resolve(__dirname, "..", "..", "dist");

module.exports = {
  ...require(path.join(example, "jest.config.js")),
  rootDir: example,
  moduleNameMapper: {
    "^cdktf-kong-gateway$": path.join(dist, "index.js"),
    "^cdktf-kong-gateway/testing$": path.join(dist, "testing", "index.js"),
    "^cdktf-kong-gateway/testing/jest$": path.join(dist, "testing", "jest.js"),
  },
};
