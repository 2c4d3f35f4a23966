import { describe, expect, it } from "vitest";
import { newServiceState, stateFromSpec } from "@/components/services/form/formState";
import { validateForm } from "@/components/services/form/validateForm";
import { ServiceSpec } from "@/server/services/serviceSpecInput";

const spec = ServiceSpec.parse({
  name: "web",
  image: "127.0.0.1:5000/demo-web",
  placement: [{ host: "alpha", replicas: 1 }],
  haproxy: { backend: "web" },
  rollout: {
    steps: [
      { weight: 10, pauseS: 60 },
      { weight: 50, manual: true },
    ],
    analysis: { max5xxRatio: 0.02, maxResponseVsLive: 1.5 },
  },
});

describe("service form: rollout section", () => {
  it("round-trips the plan through the form", () => {
    const state = stateFromSpec(spec, ["alpha"]);
    expect(state.rollout.steps).toBe("10:60, 50:manual");
    const r = validateForm(state);
    expect(r.errors).toBeNull();
    expect(r.spec?.rollout).toEqual(spec.rollout);
  });

  it("an empty steps field means no rollout", () => {
    const state = stateFromSpec(spec, ["alpha"]);
    const r = validateForm({ ...state, rollout: { ...state.rollout, steps: "  " } });
    expect(r.spec?.rollout).toBeUndefined();
    expect(newServiceState(["alpha"]).rollout.steps).toBe("");
  });

  it("puts step and limit errors on their fields", () => {
    const state = stateFromSpec(spec, ["alpha"]);
    const r = validateForm({ ...state, rollout: { ...state.rollout, steps: "50:60, 10:60", windowS: "1" } });
    expect(r.errors).toMatchObject({
      "rollout.steps": "step 2: weight must grow (step 1 has 50 %)",
      "rollout.windowS": "must be at least 4",
    });
    const bad = validateForm({ ...state, rollout: { ...state.rollout, steps: "ten" } });
    expect(bad.errors?.["rollout.steps"]).toBeDefined();
  });
});
