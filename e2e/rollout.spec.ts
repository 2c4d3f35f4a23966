import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, emptyBackends, expectOperationSucceeded, lab, shot, trafficProbe } from "./lab";

const SERVICE = "e2e-canary";
// The lab's it-web backend (:18090): integration tests use it while they hold the lab lock, never during e2e; emptied before and after.
const BACKEND = "it-web";

async function cleanUp() {
  await clearServiceLeftovers(SERVICE);
  await emptyBackends(BACKEND);
}

test.afterAll(cleanUp);

test("rollout: the page shows the steps, shares and the gate's measurements; Abort asks first and says what will happen", async ({
  page,
  baseURL,
}) => {
  await cleanUp();
  const headers = { origin: baseURL! };
  const create = await page.request.post("/api/services", {
    headers,
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [{ host: "alpha", replicas: 1 }],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 8 },
      haproxy: { backend: BACKEND, previewBackend: `${BACKEND}-preview` },
      rollout: {
        steps: [
          { weight: 20, pauseS: 600 },
          { weight: 100, manual: true },
        ],
        analysis: { max5xxRatio: 0.05, maxResponseMs: 500, windowS: 10, minRequests: 20 },
      },
    },
  });
  expect(create.status(), await create.text()).toBe(201);
  for (const image of ["1.0.0", "1.1.0"]) {
    const d = await page.request.post(`/api/services/${SERVICE}/deploy?wait=1`, { headers, data: { image } });
    await expectOperationSucceeded(d);
  }

  const probe = trafficProbe(`${lab().haproxy.frontends[BACKEND]}/version`);
  try {
    await page.goto(`/services/${SERVICE}`);
    const panel = page.getByTestId("rollout-panel");
    const steps = panel.getByRole("list", { name: "Rollout steps" });
    await expect(steps.getByRole("listitem")).toHaveText(["1. 20 % · 10m", "2. 100 % · manual"]);

    await panel.getByRole("button", { name: "Start rollout" }).click();
    await expect(page.getByRole("dialog")).toContainText("The candidate takes 20 %, then 100 % of the traffic");
    await page.getByRole("dialog").getByRole("button", { name: "Start", exact: true }).click();

    await expect(panel.getByText("running", { exact: true })).toBeVisible();
    await expect(steps.locator('[data-state="current"]')).toContainText("1. 20 % · 10m");
    await expect(panel.getByTestId("rollout-time-left")).toHaveText(/— (9m|10m|\d+s) left/);
    const shares = panel.getByTestId("rollout-shares");
    await expect(shares).toContainText("Candidate target20 %");
    // HAProxy's counters through the gate: a measured share near 20 % and a table of measurements that pass.
    await expect(shares).toContainText(/Candidate measured\s*(1[0-9]|2[0-9])\.\d %/, { timeout: 30_000 });
    const table = panel.getByTestId("rollout-measurements");
    await expect(table.locator("tbody tr").first()).toContainText("pass", { timeout: 30_000 });
    await expect(panel.getByTestId("rollout-gate-chart")).toBeVisible();
    await page.screenshot({ path: shot("rollout-step-1"), fullPage: true });

    await panel.getByRole("button", { name: "Abort", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Abort the rollout?");
    await expect(dialog).toContainText("The candidate's share goes from 20 % to 0 % at once: release 1 (live) serves all traffic.");
    await expect(dialog).toContainText("Release 2 stays deployed in preview");
    await page.screenshot({ path: shot("rollout-abort-dialog"), fullPage: true });
    await dialog.getByRole("button", { name: "Abort rollout" }).click();

    await expect(panel.getByText("aborted", { exact: true })).toBeVisible();
    await expect(panel.getByTestId("rollout-reason")).toHaveText("aborted by admin");
    // "aborted" is recorded before HAProxy's weights go back; the operation ends (undone) once they have.
    await expect(page.getByTestId("operation")).toContainText("undone", { timeout: 30_000 });
    await expect(page.getByTestId("side-candidate")).toContainText("Release 2");
    await page.screenshot({ path: shot("rollout-aborted"), fullPage: true });
  } finally {
    await probe.stop();
  }
  expect(probe.failures, "the live side kept serving throughout").toEqual([]);
  expect(Object.keys(probe.seen).sort()).toEqual(["1.0.0", "1.1.0"]);
});
