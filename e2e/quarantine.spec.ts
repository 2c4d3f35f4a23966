import fs from "node:fs";
import zlib from "node:zlib";
import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, frontendVersion, lab, labDocker, shot, trafficProbe } from "./lab";

const SERVICE = "quar-web"; // the lab's quar-web backend (:18096) is reserved for the quarantine tests
const REASON = "e2e: responses slow down after an hour; keep it for a heap dump";

/** Leftovers of an earlier run: containers of this service on both engines, servers in its backends. */
const cleanLab = () => clearServiceLeftovers(SERVICE);

/** Which HAProxy servers answered `n` requests to the frontend. */
async function servedBy(frontend: string, n = 8): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${frontend}/version`);
    await res.text();
    seen.add(res.headers.get("x-switchyard-server") ?? "?");
  }
  return [...seen].sort();
}

type Item = {
  id: number;
  dockerId: string;
  deadline: number | null;
  status: string;
  destroyedAt: number | null;
  forensics: { url: string } | null;
};

test("quarantine a demo container: replacement serving, countdown, one extension, destroyed at the new deadline with a forensic bundle — zero failed requests", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const frontend = lab().haproxy.frontends[SERVICE]!;
  await cleanLab();
  const origin = { origin: baseURL! };
  const create = await page.request.post("/api/services", {
    headers: origin,
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [
        { host: "alpha", replicas: 1 },
        { host: "beta", replicas: 1 },
      ],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
      readOnlyRootFs: false,
      haproxy: { backend: SERVICE, previewBackend: `${SERVICE}-preview` },
    },
  });
  expect(create.status(), await create.text()).toBe(201);
  const deploy = await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, { headers: origin, data: { image: "1.0.0" } });
  await expectOperationSucceeded(deploy);
  await expect.poll(() => frontendVersion(`${frontend}/version`)).toBe("1.0.0");
  const quarantines = async () => ((await (await page.request.get("/api/quarantines")).json()) as { quarantines: Item[] }).quarantines;

  // From here on, every request to the frontend must succeed.
  const probe = trafficProbe(`${frontend}/version`);
  try {
    await page.goto(`/services/${SERVICE}`);
    const original = page.getByTestId(`container-${SERVICE}-r1-alpha-1`);
    await expect(original).toContainText("UP");
    await original.getByRole("button", { name: "Quarantine" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill(REASON);
    await dialog.getByLabel("Lifetime (amount)").fill("40");
    await dialog.getByLabel("Lifetime (unit)").selectOption("s");
    await expect(dialog).toContainText("= 40s; at most 7d");
    await page.screenshot({ path: shot("quarantine-dialog") });
    await dialog.getByRole("button", { name: "Quarantine", exact: true }).click();
    await expect(dialog).toHaveCount(0);

    const op = page.getByTestId("operation");
    await expect(op).toContainText(/^quarantine#/);
    await expect(op).toContainText("succeeded", { timeout: 30_000 });
    await expect(op).toContainText("take r1-alpha-1 out of traffic");
    await expect(page.getByTestId(`container-${SERVICE}-r1-alpha-2`)).toContainText("UP");
    await expect(original).toContainText("quarantined");
    await expect.poll(() => servedBy(frontend)).toEqual(["r1-alpha-2", "r1-beta-1"]);
    await page.screenshot({ path: shot("quarantine-service-page"), fullPage: true });

    // Someone debugs in it: the drift shows on the quarantine page.
    const [item] = await quarantines();
    expect(item).toBeTruthy();
    const exec = await labDocker("alpha")
      .getContainer(item!.dockerId)
      .exec({ Cmd: ["/bin/busybox", "sh", "-c", "echo heap-dump-notes > /www/debug.txt"], User: "0", AttachStdout: true });
    (await exec.start({})).resume();
    await expect.poll(async () => (await exec.inspect()).Running).toBe(false);

    await page.getByRole("navigation").getByRole("link", { name: "Quarantine" }).click();
    const card = page.getByTestId(`quarantine-${item!.id}`);
    await expect(card).toContainText(`${SERVICE}-r1-alpha-1-quarantined-${item!.id}`);
    await expect(card.getByTestId("reason")).toHaveText(REASON);
    await expect(card).toContainText("by admin");
    await expect(card.getByTestId("drift")).toContainText(/[1-9]\d* file change\(s\): 1 added/);
    const countdown = card.getByTestId("countdown");
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent()).not.toBe(first); // it ticks
    await expect(card.getByTestId("warning")).toBeVisible(); // 40 s is inside the warning lead (60 min by default)
    await page.screenshot({ path: shot("quarantine-countdown"), fullPage: true });

    await card.getByLabel("Extend by (amount)").fill("20");
    await card.getByLabel("Extend by (unit)").selectOption("s");
    await card.getByRole("button", { name: "Extend", exact: true }).click();
    await expect(card.getByTestId("extensions")).toContainText("1×: +20s by admin");
    const extended = (await quarantines()).find((q) => q.id === item!.id)!;
    expect(extended.deadline! - item!.deadline!).toBe(20_000);
    await page.screenshot({ path: shot("quarantine-extended"), fullPage: true });

    const timer = card.getByTestId("timer");
    await expect(timer).toContainText("Destroyed", { timeout: extended.deadline! - Date.now() + 30_000 });
    const destroyed = (await quarantines()).find((q) => q.id === item!.id)!;
    expect(destroyed.status).toBe("destroyed");
    expect(destroyed.destroyedAt!).toBeGreaterThanOrEqual(extended.deadline!);
    expect(destroyed.destroyedAt! - extended.deadline!).toBeLessThan(15_000);
    console.log(`destroyed ${destroyed.destroyedAt! - extended.deadline!} ms after its (extended) deadline`);
    await expect(page.getByTestId("ended")).toContainText(`${SERVICE}-r1-alpha-1-quarantined-${item!.id}`);
    for (const name of (await labDocker("alpha").listContainers({ all: true })).flatMap((c) => c.Names))
      expect(name).not.toContain("-quarantined-" + item!.id);

    const downloading = page.waitForEvent("download");
    await card.getByTestId("forensics-link").click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`forensics-${SERVICE}-${SERVICE}-r1-alpha-1-q${item!.id}.tar.gz`);
    const tar = zlib.gunzipSync(fs.readFileSync((await download.path())!)).toString("latin1");
    for (const name of ["manifest.json", "inspect.json", "logs.txt", "changes.json", "files/www/debug.txt"]) expect(tar).toContain(name);
    expect(tar).toContain("heap-dump-notes");
    await page.screenshot({ path: shot("quarantine-destroyed"), fullPage: true });
  } finally {
    await probe.stop();
  }
  const total = Object.values(probe.seen).reduce((a, b) => a + b, 0);
  console.log(
    `frontend answered ${total} requests during the quarantine: ${JSON.stringify(probe.seen)}; failures: ${probe.failures.length}`,
  );
  expect(probe.failures).toEqual([]);
  expect(total).toBeGreaterThan(200);

  await page.goto(`/log?service=${SERVICE}`);
  await expect(page.getByText("quarantine.destroy").first()).toBeVisible();
  await page.screenshot({ path: shot("quarantine-release-log"), fullPage: true });
});

test("after the third extension the page says the tools belong in the image; Cancel self-destruct is flagged loudly; Destroy now asks first", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const frontend = lab().haproxy.frontends[SERVICE]!;
  const origin = { origin: baseURL! };
  if ((await page.request.get(`/api/services/${SERVICE}`)).status() === 404) {
    await cleanLab();
    const create = await page.request.post("/api/services", {
      headers: origin,
      data: {
        name: SERVICE,
        image: `${lab().registry}/demo-web`,
        placement: [
          { host: "alpha", replicas: 1 },
          { host: "beta", replicas: 1 },
        ],
        healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
        haproxy: { backend: SERVICE, previewBackend: `${SERVICE}-preview` },
      },
    });
    expect(create.status(), await create.text()).toBe(201);
    expect(
      (await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, { headers: origin, data: { image: "1.0.0" } })).status(),
    ).toBe(200);
  }
  type Side = { containers: { name: string; host: string; hostId: number; dockerId: string; quarantined: boolean; state: string }[] };
  const overview = (await (await page.request.get(`/api/services/${SERVICE}`)).json()) as { live: Side };
  const target = overview.live.containers.find((c) => c.host === "beta" && !c.quarantined && c.state === "running")!;
  expect(target).toBeTruthy();

  const probe = trafficProbe(`${frontend}/version`);
  try {
    const started = await page.request.post("/api/quarantines?wait=true", {
      headers: origin,
      data: { hostId: target.hostId, container: target.dockerId, reason: "e2e: intermittent 502s", lifetimeS: 3600 },
    });
    expect(started.status(), await started.text()).toBe(200);
    const id = ((await started.json()) as { quarantine: { id: number } }).quarantine.id;

    await page.goto("/quarantine");
    const card = page.getByTestId(`quarantine-${id}`);
    await expect(card.getByTestId("countdown")).toBeVisible();
    await card.getByRole("button", { name: "+1 h" }).click();
    await expect(card.getByTestId("extensions")).toContainText("1×: +1h by admin");
    await expect(card.getByTestId("advice")).toHaveCount(0);
    for (const addS of [60, 60]) {
      expect((await page.request.post(`/api/quarantines/${id}/extend`, { headers: origin, data: { addS } })).status()).toBe(200);
    }
    await expect(card.getByTestId("advice")).toContainText(
      "belongs in the image instead: ship the debug tools in the image behind a switch",
    );
    await page.screenshot({ path: shot("quarantine-advice"), fullPage: true });

    await card.getByRole("button", { name: "Cancel self-destruct" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Why keep it").fill("e2e: waiting for the vendor to look at it");
    await dialog.getByRole("button", { name: "Cancel self-destruct" }).click();
    await expect(card.getByTestId("timer")).toContainText("SELF-DESTRUCT CANCELLED by admin");
    await expect(card.getByTestId("timer")).toContainText("e2e: waiting for the vendor to look at it");
    await expect(card.getByTestId("extend")).toHaveCount(0);
    await page.screenshot({ path: shot("quarantine-cancelled"), fullPage: true });

    await card.getByRole("button", { name: "Destroy now" }).click();
    await expect(page.getByRole("dialog")).toContainText("This cannot be undone");
    await page.getByRole("dialog").getByRole("button", { name: "Destroy", exact: true }).click();
    await expect(card.getByTestId("timer")).toContainText("Destroyed", { timeout: 30_000 });
    await expect(card.getByTestId("timer")).toContainText("by admin");
    await expect(card.getByTestId("forensics-link")).toBeVisible();
    expect(
      await labDocker("beta")
        .getContainer(target.dockerId)
        .inspect()
        .catch(() => null),
    ).toBeNull();
  } finally {
    await probe.stop();
  }
  expect(probe.failures).toEqual([]);
});
