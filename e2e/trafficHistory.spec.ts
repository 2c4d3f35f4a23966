import { expect, test, type APIRequestContext } from "@playwright/test";
import { clearServiceLeftovers, lab, labDocker, shot, trafficProbe } from "./lab";

// Managed routing: its own frontends (no hand-written backend shared with other specs).
const SERVICE = "e2e-traffic";
const FRONTEND = "http://127.0.0.1:18243";

type Traffic = { sides: { release: number; status: string; requests: number }[]; markers: { kind: string; release: number | null }[] };

async function post(request: APIRequestContext, origin: string, path: string, data: unknown = {}) {
  const res = await request.post(path, { headers: { origin }, data });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = (await res.json()) as Record<string, unknown> & { operation?: { status: string; error: string | null } };
  // A waited-for operation (deploy, switch, …) answers 200 whatever its outcome: it must have succeeded.
  if (path.includes("wait=") && body.operation) expect(body.operation.status, body.operation.error ?? "").toBe("succeeded");
  return body;
}

async function traffic(request: APIRequestContext): Promise<Traffic> {
  return (await (await request.get(`/api/services/${SERVICE}/traffic?range=15m`)).json()) as Traffic;
}

test("the traffic charts: a series per side, the deploy and switch marked, the new live side gets data", async ({ page, baseURL }) => {
  const origin = baseURL!;
  const frontend = FRONTEND;
  if ((await page.request.get(`/api/services/${SERVICE}`)).status() === 404) {
    await clearServiceLeftovers(SERVICE);
    await post(page.request, origin, "/api/services", {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [
        { host: "alpha", replicas: 1 },
        { host: "beta", replicas: 1 },
      ],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 6 },
      haproxy: { managed: { bind: "127.0.0.1:18243", previewBind: "127.0.0.1:18244", mode: "http" } },
    });
    await post(page.request, origin, `/api/services/${SERVICE}/deploy?wait=1`, { image: "1.0.0" });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`/services/${SERVICE}`);
  const panel = page.getByTestId("traffic");
  await expect(panel.getByRole("button", { name: "15 min" })).toHaveAttribute("aria-pressed", "true");

  const probe = trafficProbe(`${frontend}/version`);
  try {
    const before = (await traffic(page.request)).sides.find((s) => s.status === "live")!;
    // The live side's chart fills once a 10 s bucket with requests has closed.
    await expect(panel.getByTestId(`traffic-r${before.release}`).getByTestId("chart-5xx/s")).toBeVisible({ timeout: 45_000 });
    await expect(panel.getByTestId(`traffic-r${before.release}`)).not.toContainText("No traffic yet");

    // Any other version than the live one becomes the candidate: 1.1.0, or 1.0.0 when 1.1.0 is live.
    const overview = (await (await page.request.get(`/api/services/${SERVICE}`)).json()) as { live: { release: { imageRef: string } } };
    const version = overview.live.release.imageRef.endsWith(":1.1.0") ? "1.0.0" : "1.1.0";
    await post(page.request, origin, `/api/services/${SERVICE}/deploy?wait=1`, { image: version });
    const candidate = (await traffic(page.request)).sides.find((s) => s.status === "candidate")!;
    await expect(panel.getByTestId(`traffic-r${candidate.release}`)).toContainText("No traffic yet in the last 15 min");
    await expect(panel.getByTestId("marker-deploy").first()).toBeVisible();
    await page.screenshot({ path: shot("traffic-15m-candidate"), fullPage: true });

    await post(page.request, origin, `/api/services/${SERVICE}/switch?wait=1`);
    await expect(
      panel
        .getByTestId("marker-switch")
        .filter({ hasText: `switch → r${candidate.release}` })
        .first(),
    ).toBeVisible({
      timeout: 20_000,
    });
    // Old and new side by side, the new one live.
    await expect(page.getByTestId("side-live")).toContainText(`Release ${candidate.release}`);
    await expect(page.getByTestId("side-standby")).toContainText(`Release ${before.release}`);
    const newLive = panel.getByTestId(`traffic-r${candidate.release}`);
    await expect(newLive).toContainText("· live");
    await expect(newLive.getByTestId("chart-5xx/s")).toBeVisible({ timeout: 45_000 });
    await expect
      .poll(async () => (await traffic(page.request)).sides.find((s) => s.release === candidate.release)?.requests ?? 0, {
        timeout: 30_000,
      })
      .toBeGreaterThan(20);
    const boxes = await Promise.all(["side-live", "side-standby"].map((id) => page.getByTestId(id).boundingBox()));
    expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2); // next to each other, not one under the other
    await page.screenshot({ path: shot("traffic-after-switch"), fullPage: true });

    // A host down: the new live release's container on beta stops; its charts carry on with alpha.
    const docker = labDocker("beta");
    const beta = (await docker.listContainers()).find((c) => c.Names.some((n) => n.startsWith(`/${SERVICE}-r${candidate.release}-beta`)));
    expect(beta).toBeDefined();
    await docker.getContainer(beta!.Id).stop({ t: 1 });
    try {
      await expect(page.getByTestId("side-live")).toContainText("exited", { timeout: 20_000 });
      await page.waitForTimeout(12_000); // one more bucket with one server down
      await page.screenshot({ path: shot("traffic-host-down"), fullPage: true });
    } finally {
      await docker.getContainer(beta!.Id).start();
    }
    // Live, candidate and standby at once: three columns side by side on a wide screen.
    await post(page.request, origin, `/api/services/${SERVICE}/deploy?wait=1`, { image: version === "1.1.0" ? "1.0.0" : "1.1.0" });
    await expect(page.getByTestId("side-candidate")).toBeVisible();
    const three = await Promise.all(["side-live", "side-candidate", "side-standby"].map((id) => page.getByTestId(id).boundingBox()));
    expect(new Set(three.map((b) => Math.round(b!.y))).size).toBe(1);
    await expect(panel.locator('[data-testid^="traffic-r"]')).toHaveCount(3);
    await page.screenshot({ path: shot("traffic-three-sides"), fullPage: true });

    await panel.getByRole("button", { name: "1 h" }).click();
    await expect(panel.getByRole("button", { name: "1 h" })).toHaveAttribute("aria-pressed", "true");
    await expect(panel.getByTestId("marker-switch").first()).toBeVisible();
  } finally {
    await probe.stop();
  }
});
