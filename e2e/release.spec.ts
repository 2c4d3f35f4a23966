import { expect, test, type Page } from "@playwright/test";
import { clearServiceLeftovers, frontendVersion, lab, labDocker, shot, trafficProbe } from "./lab";

const SERVICE = "e2e-web";

async function confirmAction(page: Page, button: string, confirm: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: confirm, exact: true }).click();
}

async function deployVersion(page: Page, version: string) {
  await page.getByLabel("Version to deploy").fill(version);
  await confirmAction(page, "Deploy version", "Deploy");
}

test("deploy, preview, switch, roll back, retire, and a failing health gate — with zero failed requests", async ({ page, baseURL }) => {
  const frontend = lab().haproxy.frontends[SERVICE]!;
  const preview = lab().haproxy.frontends[`${SERVICE}-preview`]!;
  await clearServiceLeftovers(SERVICE); // containers and servers an interrupted earlier run left behind
  const create = await page.request.post("/api/services", {
    headers: { origin: baseURL! },
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [
        { host: "alpha", replicas: 1 },
        { host: "beta", replicas: 1 },
      ],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 6 },
      haproxy: { backend: SERVICE, previewBackend: `${SERVICE}-preview` },
    },
  });
  expect(create.status(), await create.text()).toBe(201);

  await page.goto(`/services/${SERVICE}`);
  await expect(page.getByText("Nothing live")).toBeVisible();
  await deployVersion(page, "1.0.0");
  const live = page.getByTestId("side-live");
  await expect(live).toContainText("Release 1");
  await expect(live.getByTestId("image-ref")).toHaveText(`${lab().registry}/demo-web:1.0.0`);
  await expect.poll(() => frontendVersion(`${frontend}/version`)).toBe("1.0.0");

  // From here on, every request to the frontend must succeed.
  const probe = trafficProbe(`${frontend}/version`);
  try {
    await deployVersion(page, "1.1.0");
    const candidate = page.getByTestId("side-candidate");
    await expect(candidate).toContainText("Release 2", { timeout: 30_000 });
    await expect(candidate.getByTestId("image-ref")).toHaveText(`${lab().registry}/demo-web:1.1.0`);
    // The candidate shows while it is still being registered in the preview backend ("entering preview…" if caught
    // in time: a screenshot, not an assertion); preview answers once the deploy is done.
    await page.screenshot({ path: shot("service-candidate-entering-preview"), fullPage: true });
    await expect(page.getByTestId("operation")).toContainText("succeeded", { timeout: 30_000 });
    await expect(candidate).toContainText("in preview (weight 0)");
    await expect(live).toContainText("Release 1");
    expect(await frontendVersion(`${frontend}/version`)).toBe("1.0.0");
    expect(await frontendVersion(`${preview}/version`)).toBe("1.1.0");
    await page.screenshot({ path: shot("service-side-by-side"), fullPage: true });

    await confirmAction(page, "Switch traffic", "Switch");
    await expect(page.getByTestId("notice")).toContainText("Switched in");
    await expect.poll(() => frontendVersion(`${frontend}/version`)).toBe("1.1.0");
    await expect(page.getByTestId("side-live")).toContainText("Release 2");
    await expect(page.getByTestId("side-standby")).toContainText("Release 1");
    await page.screenshot({ path: shot("service-switched"), fullPage: true });

    await confirmAction(page, "Rollback", "Roll back");
    await expect.poll(() => frontendVersion(`${frontend}/version`)).toBe("1.0.0");
    await expect(page.getByTestId("side-live")).toContainText("Release 1");
    await expect(page.getByTestId("side-standby")).toContainText("Release 2");

    await confirmAction(page, "Retire", "Retire");
    await expect(page.getByTestId("side-standby")).toHaveCount(0);
    await expect(page.getByTestId("release-2")).toContainText("retired");
    // The release is recorded retired first, then its containers go (the page may show "retired" a moment before).
    for (const engine of ["alpha", "beta"] as const) {
      const names = async () => (await labDocker(engine).listContainers({ all: true })).flatMap((c) => c.Names);
      await expect.poll(async () => (await names()).some((n) => n.includes(`${SERVICE}-r2-`)), { timeout: 15_000 }).toBe(false);
      expect((await names()).some((n) => n.includes(`${SERVICE}-r1-`))).toBe(true);
    }

    await deployVersion(page, "2.0.0");
    await expect(page.getByTestId("operation-error")).toContainText(/unhealthy after 6 s .*GET \/health/, { timeout: 30_000 });
    await expect(page.getByTestId("release-3")).toContainText("failed");
    await expect(page.getByTestId("release-3").getByTestId("failure-reason")).toContainText("/health");
    await expect(page.getByTestId("side-live")).toContainText("Release 1");
    expect(await frontendVersion(`${frontend}/version`)).toBe("1.0.0");
    await page.screenshot({ path: shot("service-failed-gate"), fullPage: true });
  } finally {
    await probe.stop();
  }
  const total = Object.values(probe.seen).reduce((a, b) => a + b, 0);
  console.log(`frontend answered ${total} requests during the flow: ${JSON.stringify(probe.seen)}; failures: ${probe.failures.length}`);
  expect(probe.failures).toEqual([]);
  expect(probe.seen["1.1.0"]).toBeGreaterThan(0);
  expect(total).toBeGreaterThan(100);

  await page.goto(`/log?service=${SERVICE}`);
  await expect(page.getByText("release.rollback").first()).toBeVisible();
  await page.screenshot({ path: shot("release-log"), fullPage: true });
});
