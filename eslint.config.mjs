import js from "@eslint/js";
import tseslint from "typescript-eslint";

const serverOnlyImports = {
  patterns: [
    { group: ["@/db/*", "@/db"], message: "The database is server-only; call an API route." },
    {
      // `import type` of a server view is erased at build time, so client code may use the server's own types.
      regex: "^@/server/(?!.*(Input|constants|roles)$)",
      allowTypeImports: true,
      message: "Client code may import only zod inputs (*Input), constants and (with `import type`) types from server/.",
    },
  ],
  paths: [
    { name: "dockerode", message: "Docker access is server-only." },
    { name: "better-sqlite3", message: "The database is server-only." },
    { name: "drizzle-orm", message: "The database is server-only." },
  ],
};

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "node_modules/**",
      ".lab/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "db/migrations/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", serverOnlyImports] },
  },
  {
    // The schema reads on its own: db/ may use server/config (the data directory) and nothing else from server/.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^@/server/(?!config$)", message: "db/ does not import server/; enum lists live in db/schema/enums.ts." }] },
      ],
    },
  },
);
