// jest as cdktf's TypeScript template sets it up: ts-jest, and a setup file for the matchers
/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
  setupFilesAfterEnv: ["<rootDir>/setup.ts"],
};
