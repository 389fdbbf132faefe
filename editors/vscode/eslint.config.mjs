// Lint configuration (ESLint flat config) for the extension, its tests and build script.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["out/**", "dist/**", "node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      curly: "error",
      "no-restricted-imports": "off",
    },
  },
  {
    // The decision modules must stay testable without VS Code.
    files: ["src/settings.ts", "src/discovery.ts", "src/packs.ts", "src/commands.ts", "src/explain.ts", "src/nodeEnv.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "vscode", message: "keep this module free of the vscode API (it is unit-tested in plain node)" }] }],
    },
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
