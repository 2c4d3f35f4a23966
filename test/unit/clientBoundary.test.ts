import { ESLint } from "eslint";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Json } from "@/server/http/json";

/** The client/server boundary: components import the server's types, never its code. */
describe("client boundary lint", () => {
  const eslint = new ESLint();
  const problems = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: "components/probe/Probe.ts" });
    return result!.messages.filter((m) => m.ruleId?.endsWith("no-restricted-imports")).map((m) => m.line);
  };

  it("allows `import type` of a server view", async () => {
    expect(await problems('import type { UserView } from "@/server/users/userView";\nexport type X = UserView;\n')).toEqual([]);
    expect(await problems('import { type UserView } from "@/server/users/userView";\nexport type X = UserView;\n')).toEqual([]);
  });

  it("refuses value imports from server/ and any import of the database", async () => {
    const code = [
      'import { listUsers } from "@/server/users/listUsers";',
      'import type { db } from "@/db/client";',
      'import { UserInput } from "@/server/users/userInput";',
      "export const x = [listUsers, UserInput];",
      "export type D = typeof db;",
    ].join("\n");
    expect(await problems(code)).toEqual([1, 2]);
  });
});

describe("Json<T>", () => {
  it("is what JSON makes of a server value: Dates become strings", () => {
    type Op = { id: number; startedAt: Date; finishedAt: Date | null; steps: { at: Date }[]; input: unknown };
    expectTypeOf<Json<Op>>().toEqualTypeOf<{
      id: number;
      startedAt: string;
      finishedAt: string | null;
      steps: { at: string }[];
      input: unknown;
    }>();
    const op: Op = { id: 1, startedAt: new Date(0), finishedAt: null, steps: [{ at: new Date(1000) }], input: {} };
    const wire = JSON.parse(JSON.stringify(op)) as Json<Op>;
    expect(wire).toEqual({
      id: 1,
      startedAt: "1970-01-01T00:00:00.000Z",
      finishedAt: null,
      steps: [{ at: "1970-01-01T00:00:01.000Z" }],
      input: {},
    });
  });
});
