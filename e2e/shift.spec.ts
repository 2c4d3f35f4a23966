import { expect, test, type Page } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, frontendVersion, lab, shot, trafficProbe } from "./lab";

// Managed routing: its own frontends (no hand-written backend shared with other specs).
const SERVICE = "e2e-shift";
const FRONTEND = "http://127.0.0.1:18241";

const spec = (bodyContains: string) => ({
  name: SERVICE,
  image: `${lab().registry}/demo-web`,
  placement: [
    { host: "alpha", replicas: 1 },
    { host: "beta", replicas: 1 },
  ],
  healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 6 },
  haproxy: { managed: { bind: "127.0.0.1:18241", previewBind: "127.0.0.1:18242", mode: "http" } },
  smoke: [{ path: "/version", expectStatus: 200, bodyContains }],
});

async function confirm(page: Page, button: string, confirmLabel: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: confirmLabel, exact: true }).click();
}

test.afterAll(() => clearServiceLeftovers(SERVICE));

test("smoke checks block Switch with the answer shown; Shift traffic to 10 % and back, no failed request", async ({ page, baseURL }) => {
  const frontend = FRONTEND;
  await clearServiceLeftovers(SERVICE);
  const headers = { origin: baseURL! };
  const created = await page.request.post("/api/services", { headers, data: spec("9.9.9") });
  expect(created.status(), await created.text()).toBe(201);
  for (const image of ["1.0.0", "1.1.0"]) {
    const r = await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, { headers, data: { image } });
    await expectOperationSucceeded(r);
  }

  await page.goto(`/services/${SERVICE}`);
  await expect(page.getByTestId("side-candidate")).toContainText("Release 2");
  const smoke = page.getByTestId("smoke-checks");
  await smoke.getByRole("button", { name: "Run against release 2" }).click();
  await expect(smoke).toContainText("failed");
  await expect(smoke).toContainText('body does not contain "9.9.9"');
  await expect(smoke.locator("pre").first()).toHaveText("1.1.0");

  await confirm(page, "Switch traffic", "Switch");
  const blocked = page.getByRole("alert").filter({ hasText: "Switch blocked" });
  await expect(blocked).toContainText("Switch blocked: release 2 failed its smoke checks");
  await expect(blocked).toContainText(/GET \/version: body does not contain "9\.9\.9" \(status 200, \d+ ms\), body: 1\.1\.0/);
  await page.screenshot({ path: shot("shift-smoke-blocked"), fullPage: true });
  expect(await frontendVersion(`${frontend}/version`)).toBe("1.0.0");

  const put = await page.request.put(`/api/services/${SERVICE}`, { headers, data: spec("1.1.0") });
  expect(put.status(), await put.text()).toBe(200);
  await page.reload();

  const probe = trafficProbe(`${frontend}/version`);
  try {
    const panel = page.getByTestId("shift-traffic");
    await expect(panel.getByTestId("shares")).toContainText("0 % recorded, 0 % from the weights");
    await panel.getByRole("button", { name: "10 %", exact: true }).click();
    await expect(page.getByRole("dialog")).toContainText(`Release 2 gets 10 % of ${SERVICE}'s requests and live release 1 90 %`);
    await page.getByRole("dialog").getByRole("button", { name: "Shift to 10 %" }).click();
    await expect(page.getByTestId("shift-notice")).toContainText("Release 2 at 10 % (was 0 %)");
    await expect(panel.getByTestId("shares")).toContainText("10 % recorded, 10 % from the weights");
    await expect(page.getByTestId("side-candidate")).toContainText("healthy, 10 % of the traffic");
    await expect.poll(() => ({ ...probe.seen }), { timeout: 20_000 }).toMatchObject({ "1.1.0": expect.any(Number) });
    await page.screenshot({ path: shot("shift-10-percent"), fullPage: true });

    await confirm(page, "0 % (preview)", "Shift to 0 %");
    await expect(panel.getByTestId("shares")).toContainText("0 % recorded, 0 % from the weights");
  } finally {
    await probe.stop();
  }
  expect(probe.failures).toEqual([]);
  expect(await frontendVersion(`${frontend}/version`)).toBe("1.0.0");
});
