// The jest example's config (test/testing/jest.config.js), running the fixture that records the matchers' messages
const path = require("node:path");

module.exports = {
  ...require("./jest.config.js"),
  roots: [path.join(__dirname, "jest-fixtures")],
  testMatch: ["**/*.jest.ts"],
};
