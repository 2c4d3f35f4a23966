/**
 * The service form's new fields (volumes, tmpfs, process, limits, extra hosts,
 * labels): the draft round-trips through the spec, and bad input becomes an
 * error on the row and field it concerns.
 */
import { describe, expect, it } from "vitest";
import { ServiceSpec } from "@/server/services/serviceSpecInput";
import {
  blankExtraHostRow,
  blankLabelRow,
  blankTmpfsRow,
  blankVolumeRow,
  newServiceState,
  stateFromSpec,
  type FormState,
} from "@/components/services/form/formState";
import { validateForm } from "@/components/services/form/validateForm";

const draft = (patch: Partial<FormState>): FormState => ({
  ...newServiceState(["alpha"]),
  name: "web",
  image: "127.0.0.1:5000/demo-nginx",
  ...patch,
});
const vol = (name: string, target: string) => ({ ...blankVolumeRow(), name, target });
const tmp = (target: string, sizeMb = "64") => ({ ...blankTmpfsRow(), target, sizeMb });

function errorsOf(s: FormState) {
  const r = validateForm(s);
  expect(r.spec).toBeNull();
  return r.errors ?? {};
}

describe("service form: storage, process, limits, hosts, labels", () => {
  it("puts a relative target on its volume row", () => {
    const v = vol("data", "var/lib/app");
    expect(errorsOf(draft({ volumes: [v] }))[`volumes.${v.key}.target`]).toMatch(/path must be absolute/);
  });

  it("puts a duplicate volume name on the second row", () => {
    const a = vol("data", "/a");
    const b = vol("data", "/b");
    const errors = errorsOf(draft({ volumes: [a, b] }));
    expect(errors[`volumes.${b.key}.name`]).toBe('volume name "data" is used twice');
    expect(errors[`volumes.${a.key}.name`]).toBeUndefined();
  });

  it("puts a tmpfs over a volume on the tmpfs row", () => {
    const t = tmp("/var/lib");
    expect(errorsOf(draft({ volumes: [vol("data", "/var/lib/app")], tmpfs: [t] }))[`tmpfs.${t.key}.target`]).toMatch(
      /may not be on, under or over volume "data"/,
    );
  });

  it("maps limits, stop grace, extra hosts and label keys to their fields", () => {
    const h = { ...blankExtraHostRow(), name: "db", address: "nope" };
    const l1 = { ...blankLabelRow(), name: "switchyard.x", value: "1" };
    const l2 = { ...blankLabelRow(), name: "team", value: "a" };
    const l3 = { ...blankLabelRow(), name: "team", value: "b" };
    const errors = errorsOf(
      draft({ memoryMb: "4", cpus: "abc", stopGraceS: "9999", workingDir: "srv", extraHosts: [h], labels: [l1, l2, l3] }),
    );
    expect(errors.memoryMb).toBe("must be at least 8");
    expect(errors.cpus).toBe("enter a number, like 0.5");
    expect(errors.stopGraceS).toBe("must be at most 600");
    expect(errors.workingDir).toMatch(/absolute/);
    expect(errors[`extraHosts.${h.key}.address`]).toMatch(/IPv4 or IPv6/);
    expect(errors[`labels.${l1.key}.name`]).toMatch(/reserved/);
    expect(errors[`labels.${l3.key}.name`]).toBe("this key is already used above");
  });

  it("sends a command as a list, one argument per line; empty lines and empty rows are left out", () => {
    const r = validateForm(
      draft({
        command: "-g\n\ndaemon off;\n",
        entrypoint: "",
        volumes: [vol("data", "/data"), blankVolumeRow()],
        tmpfs: [tmp("/tmp", "16"), blankTmpfsRow()],
      }),
    );
    expect(r.errors).toBeNull();
    expect(r.spec?.command).toEqual(["-g", "daemon off;"]);
    expect(r.spec?.entrypoint).toBeNull();
    expect(r.spec?.volumes).toEqual([{ name: "data", target: "/data", readOnly: false, noexec: true }]);
    expect(r.spec?.tmpfs).toEqual([{ target: "/tmp", sizeMb: 16 }]);
  });

  it("round-trips every new field: spec → form → spec", () => {
    const spec = ServiceSpec.parse({
      name: "web",
      image: "127.0.0.1:5000/demo-nginx",
      placement: [{ host: "alpha", replicas: 1 }],
      volumes: [{ name: "data", target: "/data", readOnly: true, noexec: false }],
      tmpfs: [{ target: "/tmp", sizeMb: 16 }],
      command: ["-g", "daemon off;"],
      entrypoint: ["/usr/sbin/nginx"],
      user: "65534:65534",
      workingDir: "/srv",
      extraHosts: [{ name: "db.internal", address: "127.0.0.1" }],
      limits: { pids: 128, memoryMb: 64, cpus: 0.5 },
      labels: { "team.owner": "ops" },
      stopGraceS: 20,
      strategy: "recreate",
    });
    expect(validateForm(stateFromSpec(spec, ["alpha"])).spec).toEqual(spec);
  });
});
