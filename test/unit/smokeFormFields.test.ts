/** The service form's smoke checks: rows round-trip through the spec, bad input lands on its row and field. */
import { describe, expect, it } from "vitest";
import { blankSmokeRow, newServiceState, stateFromSpec, type FormState } from "@/components/services/form/formState";
import { validateForm } from "@/components/services/form/validateForm";

const draft = (patch: Partial<FormState>): FormState => ({
  ...newServiceState(["alpha"]),
  name: "web",
  image: "127.0.0.1:5000/demo-web",
  ...patch,
});

describe("service form: smoke checks", () => {
  it("turns rows into the spec's smoke list (empty rows ignored) and back", () => {
    const row = { ...blankSmokeRow(), path: "/version", bodyContains: "1.1.0", timeoutMs: "500" };
    const r = validateForm(draft({ smoke: [row, blankSmokeRow()] }));
    expect(r.errors).toBeNull();
    expect(r.spec!.smoke).toEqual([{ path: "/version", expectStatus: 200, bodyContains: "1.1.0", timeoutMs: 500 }]);
    const back = stateFromSpec(r.spec!, ["alpha"]).smoke;
    expect(back.map(({ key: _key, ...rest }) => rest)).toEqual([
      { path: "/version", expectStatus: "200", bodyContains: "1.1.0", timeoutMs: "500" },
    ]);
  });

  it("puts a bad path and a bad status on their row", () => {
    const a = { ...blankSmokeRow(), path: "version" };
    const b = { ...blankSmokeRow(), path: "/ok", expectStatus: "abc" };
    const r = validateForm(draft({ smoke: [a, b] }));
    expect(r.spec).toBeNull();
    expect(r.errors![`smoke.${a.key}.path`]).toMatch(/must start with '\/'/);
    expect(r.errors![`smoke.${b.key}.expectStatus`]).toBe("enter a whole number");
  });
});
