import { expect, test } from "@playwright/test";
import { expectOperationSucceeded, lab, labDocker, shot } from "./lab";

const REDIS = "e2e-redis";
const SHARED = "e2e-vol-bg";

/** What this file leaves on the engines: containers and volumes of its services. */
async function cleanEngines() {
  for (const engine of ["alpha", "beta"] as const) {
    const docker = labDocker(engine);
    for (const c of await docker.listContainers({ all: true, filters: { label: [`io.switchyard.service=${REDIS}`] } }))
      await docker.getContainer(c.Id).remove({ force: true });
    const vols = (await docker.listVolumes({ filters: JSON.stringify({ label: [`switchyard.service=${REDIS}`] }) })) as {
      Volumes?: { Name: string }[] | null;
    };
    for (const v of (vols.Volumes ?? []).sort((a, b) => b.Name.length - a.Name.length))
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined);
  }
}

test.afterAll(cleanEngines);

test("the service page names the strategy: recreate with its last gap; blue-green with volumes warns of two writers", async ({
  page,
  baseURL,
}) => {
  await cleanEngines();
  const headers = { origin: baseURL! };
  const redis = {
    name: REDIS,
    image: `${lab().registry}/demo-redis`,
    placement: [{ host: "alpha", replicas: 1 }],
    strategy: "recreate",
    volumes: [{ name: "data", target: "/data" }],
    healthCheck: { kind: "exec", command: ["/bin/healthy"], intervalMs: 300, gateTimeoutS: 20 },
    stopGraceS: 2,
  };
  expect((await page.request.post("/api/services", { headers, data: redis })).status()).toBe(201);
  const first = await page.request.post(`/api/services/${REDIS}/deploy?wait=1`, { headers, data: { image: "1.0.0" } });
  await expectOperationSucceeded(first);

  await page.goto(`/services/${REDIS}`);
  await expect(page.getByTestId("strategy")).toContainText("Strategy: recreate — no change measured yet");
  const again = await page.request.post(`/api/services/${REDIS}/redeploy?wait=1`, { headers, data: {} });
  await expectOperationSucceeded(again);
  await expect(page.getByTestId("strategy")).toContainText(/Strategy: recreate — last gap \d+\.\d s/);
  await expect(page.getByTestId("side-standby")).toContainText("Release 1");
  await expect(page.getByTestId("side-standby")).toContainText("stopped, kept for rollback (recreate)");
  await page.screenshot({ path: shot("service-strategy-recreate"), fullPage: true });

  const shared = { ...redis, name: SHARED, strategy: "blue-green" };
  expect((await page.request.post("/api/services", { headers, data: shared })).status()).toBe(201);
  await page.goto(`/services/${SHARED}`);
  await expect(page.getByTestId("strategy")).toContainText("Strategy: blue-green");
  await expect(page.getByTestId("strategy").getByRole("alert")).toContainText("both releases run and write the same volume at once");
  await page.screenshot({ path: shot("service-strategy-blue-green-volumes"), fullPage: true });
});
